using Microsoft.Extensions.Logging;

namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>Log events of the refresh cache. Event ids 100-199 are the cache's; they never change meaning.</summary>
internal static partial class CacheLog
{
    [LoggerMessage(EventId = LogEventIds.Cache, EventName = "CredentialRefreshStarted", Level = LogLevel.Debug,
        Message = "Credential refresh started (phase {Phase}, background {Background}).")]
    public static partial void RefreshStarted(ILogger logger, string phase, bool background);

    [LoggerMessage(EventId = LogEventIds.Cache + 1, EventName = "CredentialRefreshSucceeded", Level = LogLevel.Debug,
        Message = "Credentials refreshed from {SourceName}; they expire at {Expiration}; advisory window {AdvisoryWindow}.")]
    public static partial void RefreshSucceeded(ILogger logger, string sourceName, DateTimeOffset? expiration, TimeSpan advisoryWindow);

    [LoggerMessage(EventId = LogEventIds.Cache + 2, EventName = "CredentialRefreshFailedServingCached", Level = LogLevel.Warning,
        Message = "Credential refresh from {SourceName} failed; serving the cached credentials and retrying in {BackoffSeconds:F0} s.")]
    public static partial void RefreshFailedServingCached(ILogger logger, Exception exception, string sourceName, double backoffSeconds);

    [LoggerMessage(EventId = LogEventIds.Cache + 3, EventName = "CredentialRefreshFailedNonRecoverable", Level = LogLevel.Error,
        Message = "Credential refresh from {SourceName} failed with an error that retrying cannot fix.")]
    public static partial void RefreshFailedNonRecoverable(ILogger logger, Exception exception, string sourceName);

    [LoggerMessage(EventId = LogEventIds.Cache + 4, EventName = "CredentialRefreshFailedNoCredentials", Level = LogLevel.Debug,
        Message = "Credential fetch from {SourceName} failed and no credentials are cached.")]
    public static partial void RefreshFailedNoCredentials(ILogger logger, string sourceName);

    [LoggerMessage(EventId = LogEventIds.Cache + 5, EventName = "ServingCachedDuringBackoff", Level = LogLevel.Debug,
        Message = "Serving cached credentials from {SourceName} during the refresh backoff (expired: {Expired}).")]
    public static partial void ServingDuringBackoff(ILogger logger, string sourceName, bool expired);

    [LoggerMessage(EventId = LogEventIds.Cache + 6, EventName = "CredentialsInvalidated", Level = LogLevel.Information,
        Message = "Cached credentials from {SourceName} were reported as rejected; the next call refreshes them.")]
    public static partial void Invalidated(ILogger logger, string sourceName);

    [LoggerMessage(EventId = LogEventIds.Cache + 7, EventName = "WallClockJump", Level = LogLevel.Warning,
        Message = "The wall clock moved ahead of the monotonic clock (a suspend, or a clock step): credentials from {SourceName} look expired; refreshing.")]
    public static partial void WallClockJump(ILogger logger, string sourceName);
}
