using System.Diagnostics;

namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>The refresh cache's events: log events 100-199, the refresh metrics and the refresh span.</summary>
internal sealed partial class CredentialTelemetry
{
    public void RefreshStarted(string phase, bool background) => CacheLog.RefreshStarted(_logger, phase, background);

    /// <summary>Starts timing (and tracing) a refresh; a background refresh is a root span, a caller's is a child of the caller's span.</summary>
    public static RefreshScope StartRefresh(bool background, string phase, TimeProvider timeProvider)
    {
        Activity? activity = StartActivity(TelemetryTags.RefreshSpan, ActivityKind.Internal, detached: background);
        string trigger = background ? TelemetryTags.Background : TelemetryTags.Caller;
        _ = activity?.SetTag(TelemetryTags.Trigger, trigger).SetTag(TelemetryTags.Phase, phase);
        return new RefreshScope(activity, trigger, timeProvider, timeProvider.GetTimestamp());
    }

    public void RefreshSucceeded(RefreshScope scope, string sourceName, DateTimeOffset? expiration, TimeSpan advisoryWindow)
    {
        CacheLog.RefreshSucceeded(_logger, sourceName, expiration, advisoryWindow);
        EndRefresh(scope, sourceName, error: null);
    }

    public void RefreshFailedServingCached(RefreshScope scope, Exception error, string sourceName, double backoffSeconds, bool cachedExpired)
    {
        CacheLog.RefreshFailedServingCached(_logger, error, sourceName, backoffSeconds);
        EndRefresh(scope, sourceName, error);
        if (scope.Trigger == TelemetryTags.Caller)
        {
            // The callers waiting on this refresh get the cached credentials.
            CountStaleServe(sourceName, cachedExpired);
        }
    }

    public void RefreshFailedNonRecoverable(RefreshScope scope, Exception error, string sourceName)
    {
        CacheLog.RefreshFailedNonRecoverable(_logger, error, sourceName);
        EndRefresh(scope, sourceName, error);
    }

    public void RefreshFailedNoCredentials(RefreshScope scope, Exception error, string sourceName)
    {
        CacheLog.RefreshFailedNoCredentials(_logger, sourceName);
        EndRefresh(scope, sourceName, error);
    }

    public void ServingDuringBackoff(string sourceName, bool expired)
    {
        CacheLog.ServingDuringBackoff(_logger, sourceName, expired);
        CountStaleServe(sourceName, expired);
    }

    public void Invalidated(string sourceName)
    {
        CacheLog.Invalidated(_logger, sourceName);
        Instruments.InvalidationCounter.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Source, sourceName));
    }

    public void WallClockJump(string sourceName) => CacheLog.WallClockJump(_logger, sourceName);

    private void CountStaleServe(string sourceName, bool expired) =>
        Instruments.StaleServeCounter.Add(
            1,
            new KeyValuePair<string, object?>(TelemetryTags.Source, sourceName),
            new KeyValuePair<string, object?>(TelemetryTags.Expired, expired));

    private void EndRefresh(RefreshScope scope, string sourceName, Exception? error)
    {
        var tags = new TagList
        {
            { TelemetryTags.Source, sourceName },
            { TelemetryTags.Trigger, scope.Trigger },
            { TelemetryTags.Outcome, error is null ? TelemetryTags.Success : TelemetryTags.Failure },
        };
        if (error is not null)
        {
            tags.Add(TelemetryTags.ErrorType, ErrorType(error));
        }

        Instruments.RefreshCounter.Add(1, tags);
        Instruments.RefreshDurationHistogram.Record(scope.TimeProvider.GetElapsedTime(scope.Started).TotalSeconds, tags);
        Complete(scope.Activity, tags, succeeded: error is null);
    }
}

/// <summary>One refresh under way: its span (or <see langword="null"/> when nobody listens), its trigger and when it started.</summary>
internal sealed class RefreshScope(Activity? activity, string trigger, TimeProvider timeProvider, long started) : IDisposable
{
    public Activity? Activity { get; } = activity;

    public string Trigger { get; } = trigger;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public long Started { get; } = started;

    /// <summary>Ends the span.</summary>
    public void Dispose() => Activity?.Dispose();
}
