using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace WorkloadCredentials.Tests.Infrastructure.SecretScanning;

/// <summary>
/// Logging for tests that the secret scan sees: every record at every level is formatted (message, structured state,
/// exception with its inner ones, scopes) and passed to <see cref="SecretScanner.Check"/>. Use these instead of
/// <c>NullLogger.Instance</c>, <c>NullLoggerFactory.Instance</c> and <c>new FakeLogCollector()</c>: a null logger formats
/// nothing, so a secret in a Trace message would never be seen.
/// </summary>
public static class SecretScanLogging
{
    /// <summary>Gets a logger that records nothing but scans every record (the scanning replacement for NullLogger).</summary>
    public static ILogger Logger { get; } = new SecretScanLogger("test");

    /// <summary>Gets a logger factory at Trace level whose only provider scans (the replacement for NullLoggerFactory).</summary>
    public static ILoggerFactory LoggerFactory { get; } = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddSecretScan());

    /// <summary>A <see cref="FakeLogCollector"/> that also scans every record it collects.</summary>
    public static FakeLogCollector NewCollector() => FakeLogCollector.Create(new FakeLogCollectorOptions
    {
        OutputSink = static _ => { },
        OutputFormatter = static record =>
        {
            Scan(record.Category, record.Level, record.Message, StateValues(record.State), record.Exception, record.Scopes);
            return string.Empty;
        },
    });

    /// <summary>A <see cref="FakeLogger"/> whose records are scanned (the replacement for <c>new FakeLogger()</c>).</summary>
    public static FakeLogger NewFakeLogger() => new(NewCollector());

    /// <summary>Adds the scanning provider and sets the minimum level to Trace, so every record is produced and scanned.</summary>
    public static ILoggingBuilder AddSecretScan(this ILoggingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new SecretScanLoggerProvider());
    }

    private static IEnumerable<KeyValuePair<string, string?>>? StateValues(object? state) => state switch
    {
        IEnumerable<KeyValuePair<string, string?>> strings => strings,
        IEnumerable<KeyValuePair<string, object?>> pairs =>
            pairs.Select(p => new KeyValuePair<string, string?>(p.Key, Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture))),
        null => null,
        _ => [new("state", Convert.ToString(state, System.Globalization.CultureInfo.InvariantCulture))],
    };

    internal static void Scan(string? category, LogLevel level, string? message, IEnumerable<KeyValuePair<string, string?>>? state, Exception? exception, IEnumerable<object?>? scopes)
    {
        var text = new System.Text.StringBuilder();
        text.Append(message);
        foreach (KeyValuePair<string, string?> pair in state ?? [])
        {
            text.Append('\n').Append(pair.Key).Append('=').Append(pair.Value);
        }

        foreach (object? scope in scopes ?? [])
        {
            text.Append('\n').Append(scope);
        }

        if (exception is not null)
        {
            text.Append('\n').Append(SecretScanner.ExceptionText(exception));
        }

        SecretScanner.Check(text.ToString(), $"log {level} {category}");
    }

    private sealed class SecretScanLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new SecretScanLogger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class SecretScanLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            Scan(category, LogLevel.None, "scope", null, null, [state]);
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            Scan($"{category}[{eventId.Id}]", logLevel, formatter(state, exception), StateValues(state), exception, null);
        }
    }
}
