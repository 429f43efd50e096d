using Microsoft.Extensions.Logging;

namespace WorkloadCredentials.Tests.Simulation;

/// <summary>Writes the library's log events (Debug and up) into the week's trace, stamped with simulated time.</summary>
internal sealed class WeekTraceLogger(WeekWorld world) : ILoggerProvider, ILoggerFactory, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        world.Note("log " + eventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + formatter(state, exception));

    public void Dispose()
    {
    }
}
