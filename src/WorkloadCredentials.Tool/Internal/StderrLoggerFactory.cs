using Microsoft.Extensions.Logging;

namespace WorkloadCredentials.Tool.Internal;

/// <summary>
/// A minimal logger factory for <c>--verbose</c>: one line per message on stderr, <c>level category[event]: message</c>.
/// The library's messages never contain a secret, so they are safe to show.
/// </summary>
internal sealed class StderrLoggerFactory : ILoggerFactory
{
    private readonly TextWriter _error;
    private readonly LogLevel _minimum;

    public StderrLoggerFactory(TextWriter error, LogLevel minimum)
    {
        _error = error;
        _minimum = minimum;
    }

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new StderrLogger(_error, _minimum, categoryName);

    public void Dispose()
    {
    }

    private sealed class StderrLogger(TextWriter error, LogLevel minimum, string category) : ILogger
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

            string line = $"{Short(logLevel)} {category}[{eventId.Id}]: {formatter(state, exception)}";
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
