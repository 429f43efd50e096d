using Microsoft.Extensions.Logging;

namespace WorkloadCredentials.Tool.Internal;

/// <summary>
/// A minimal logger factory for <c>--verbose</c>: one line per message on stderr, <c>level category[event]: message</c>.
/// The library's messages never contain a secret; each line still goes through the <see cref="OutputGuard"/> (secrets the tool knows
/// masked, control characters escaped) because some quote what a server or a file said.
/// </summary>
internal sealed class StderrLoggerFactory : ILoggerFactory
{
    private readonly TextWriter _error;
    private readonly LogLevel _minimum;
    private readonly OutputGuard _guard;

    public StderrLoggerFactory(TextWriter error, LogLevel minimum, OutputGuard guard)
    {
        _error = error;
        _minimum = minimum;
        _guard = guard;
    }

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new StderrLogger(_error, _minimum, categoryName, _guard);

    public void Dispose()
    {
    }

    private sealed class StderrLogger(TextWriter error, LogLevel minimum, string category, OutputGuard guard) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string line = guard.Clean($"{Short(logLevel)} {category}[{eventId.Id}]: {formatter(state, exception)}");
            lock (error)
            {
                error.WriteLine(line);
            }
        }

        private static string Short(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
