using Microsoft.Extensions.Logging;

namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>
/// Log messages of the STS client, the web identity and the assume-role sources. Event ids 300-399 are reserved for them.
/// No message carries a secret, a session token or a web identity token.
/// </summary>
internal static partial class StsLog
{
    public const int IdEndpointSelected = LogEventIds.Sts;
    public const int IdRetrying = LogEventIds.Sts + 1;
    public const int IdCallFailed = LogEventIds.Sts + 2;
    public const int IdCredentialsIssued = LogEventIds.Sts + 3;
    public const int IdTokenRotatedRetry = LogEventIds.Sts + 4;
    public const int IdRoleChainingDurationCapped = LogEventIds.Sts + 5;
    public const int IdSourceCredentialsRejected = LogEventIds.Sts + 6;
    public const int IdRegionDefaulted = LogEventIds.Sts + 7;

    [LoggerMessage(EventId = IdEndpointSelected, EventName = "StsEndpointSelected", Level = LogLevel.Debug,
        Message = "{SourceName}: STS endpoint {Endpoint}, signing region {SigningRegion} ({Origin})")]
    public static partial void StsEndpointSelected(this ILogger logger, string sourceName, Uri endpoint, string signingRegion, string origin);

    [LoggerMessage(EventId = IdRetrying, EventName = "StsRetrying", Level = LogLevel.Information,
        Message = "{SourceName}: STS attempt {Attempt} failed with {Reason}; retrying in {DelayMilliseconds} ms ({Host})")]
    public static partial void StsRetrying(this ILogger logger, string sourceName, int attempt, string reason, long delayMilliseconds, string host);

    [LoggerMessage(EventId = IdCallFailed, EventName = "StsCallFailed", Level = LogLevel.Debug,
        Message = "{SourceName}: STS call to {Host} failed ({Kind}, code {ErrorCode}) after {Attempts} attempt(s) and {ElapsedMilliseconds} ms")]
    public static partial void StsCallFailed(this ILogger logger, string sourceName, string host, string kind, string errorCode, int attempts, long elapsedMilliseconds);

    [LoggerMessage(EventId = IdCredentialsIssued, EventName = "StsCredentialsIssued", Level = LogLevel.Debug,
        Message = "{SourceName}: assumed role {RoleArn} as session {RoleSessionName}; credentials {AccessKeyId} expire at {Expiration:O}")]
    public static partial void StsCredentialsIssued(this ILogger logger, string sourceName, string roleArn, string roleSessionName, string accessKeyId, DateTimeOffset? expiration);

    [LoggerMessage(EventId = IdTokenRotatedRetry, EventName = "WebIdentityTokenRotatedRetry", Level = LogLevel.Information,
        Message = "{SourceName}: STS rejected the web identity token ({ErrorCode}); the token file {TokenFile} holds a new token, retrying once with it")]
    public static partial void WebIdentityTokenRotatedRetry(this ILogger logger, string sourceName, string errorCode, string tokenFile);

    [LoggerMessage(EventId = IdRoleChainingDurationCapped, EventName = "RoleChainingDurationCapped", Level = LogLevel.Warning,
        Message = "{SourceName}: role {RoleArn} is assumed with role credentials (role chaining); STS caps such sessions at one hour, so the session lasts 1 h instead of {RequestedDuration}")]
    public static partial void RoleChainingDurationCapped(this ILogger logger, string sourceName, string roleArn, TimeSpan requestedDuration);

    [LoggerMessage(EventId = IdSourceCredentialsRejected, EventName = "SourceCredentialsRejected", Level = LogLevel.Information,
        Message = "{SourceName}: STS rejected the source credentials {AccessKeyId} ({ErrorCode}); asking the source for new ones and retrying once")]
    public static partial void SourceCredentialsRejected(this ILogger logger, string sourceName, string accessKeyId, string errorCode);

    [LoggerMessage(EventId = IdRegionDefaulted, EventName = "StsRegionDefaulted", Level = LogLevel.Debug,
        Message = "{SourceName}: no region is configured (AWS:Region, AWS_REGION, AWS_DEFAULT_REGION) and none was found by {Hint}; using us-east-1 for STS")]
    public static partial void StsRegionDefaulted(this ILogger logger, string sourceName, string hint);
}
