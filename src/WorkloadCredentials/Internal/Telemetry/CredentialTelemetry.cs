using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>
/// The one telemetry seam (as Polly's <c>TelemetryListener</c>): the cache, the chain and every source report their events here,
/// and this writes the <c>[LoggerMessage]</c> logs, the metrics (<see cref="CredentialInstruments"/>) and the spans. No source
/// holds a logger, a meter or an activity source of its own. One instance per log category; they share the instruments.
/// </summary>
/// <remarks>The cache hit (the hot path) reports nothing: every method here is on a refresh, a failure or a service call.</remarks>
internal sealed partial class CredentialTelemetry
{
    private readonly ILogger _logger;

    /// <param name="logger">The logger of the reporting component's category.</param>
    /// <param name="instruments">The instruments; <see cref="CredentialInstruments.Default"/> when <see langword="null"/>.</param>
    public CredentialTelemetry(ILogger logger, CredentialInstruments? instruments = null)
    {
        _logger = Throw.IfNull(logger);
        Instruments = instruments ?? CredentialInstruments.Default;
    }

    /// <summary>Gets a reporter with no logging that still records metrics and spans on the default instruments.</summary>
    public static CredentialTelemetry Null { get; } = new(NullLogger.Instance);

    public CredentialInstruments Instruments { get; }

    /// <summary>Creates the reporter of <paramref name="category"/>.</summary>
    public static CredentialTelemetry Create(ILoggerFactory loggerFactory, string category, CredentialInstruments? instruments = null) =>
        new(Throw.IfNull(loggerFactory).CreateLogger(category), instruments);

    /// <summary>Gets a value indicating whether Debug events are written: a caller skips building a costly argument otherwise.</summary>
    public bool IsDebugEnabled => _logger.IsEnabled(LogLevel.Debug);

    /// <summary>Gets a value indicating whether Information events are written.</summary>
    public bool IsInformationEnabled => _logger.IsEnabled(LogLevel.Information);

    /// <summary>Starts a span of the library as a child of the current one, or a root span when <paramref name="detached"/>.</summary>
    internal static Activity? StartActivity(string name, ActivityKind kind, bool detached = false)
    {
        ActivitySource source = CredentialInstruments.ActivitySource;
        if (!source.HasListeners())
        {
            return null;
        }

        if (detached)
        {
            // A background refresh outlives the request that happened to start the cache (or its timer): it is not that request's
            // child. Callers start detached spans only in an async method of their own, whose end restores the caller's Activity.Current.
            Activity.Current = null;
        }

        return source.StartActivity(name, kind);
    }

    /// <summary>Ends a span's story: the metric's tags on the span too, and its status.</summary>
    internal static void Complete(Activity? activity, in TagList tags, bool succeeded)
    {
        if (activity is null)
        {
            return;
        }

        foreach (KeyValuePair<string, object?> tag in tags)
        {
            _ = activity.SetTag(tag.Key, tag.Value);
        }

        _ = activity.SetStatus(succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
    }

        /// <summary>The <c>error.type</c> of an exception: its type name (never its message).</summary>
    internal static string ErrorType(Exception exception) => exception.GetType().Name;
}
