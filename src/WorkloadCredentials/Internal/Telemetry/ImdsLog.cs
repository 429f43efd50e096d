using Microsoft.Extensions.Logging;

namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>
/// Log messages of the instance metadata source. Event ids are stable:
/// <list type="table">
/// <item><term>1601</term><description>V1Fallback (Information): the token request was refused or timed out; this request uses IMDSv1.</description></item>
/// <item><term>1602</term><description>TokenRejected (Debug): a request answered 401; a new session token is fetched.</description></item>
/// <item><term>1603</term><description>ExpiredCredentialsExtended (Warning): IMDS returned expired credentials; they are used a few more minutes.</description></item>
/// <item><term>1604</term><description>RoleDiscovered (Debug): the role listed by IMDS and the API (extended or legacy).</description></item>
/// <item><term>1605</term><description>RoleRediscovery (Information): the known role answered 404; it is discovered again.</description></item>
/// <item><term>1606</term><description>Retrying (Debug): a request is retried after a transient failure.</description></item>
/// <item><term>1607</term><description>RegionUnavailable (Debug): the instance's region could not be read.</description></item>
/// <item><term>1608</term><description>ExtendedApiUnavailable (Debug): the extended credentials API is not served; the legacy API is used.</description></item>
/// </list>
/// Messages carry the endpoint, paths, role names and statuses, never a token or a secret.
/// </summary>
internal static partial class ImdsLog
{
    public const int V1FallbackId = LogEventIds.InstanceMetadata + 1;
    public const int TokenRejectedId = LogEventIds.InstanceMetadata + 2;
    public const int ExpiredCredentialsExtendedId = LogEventIds.InstanceMetadata + 3;
    public const int RoleDiscoveredId = LogEventIds.InstanceMetadata + 4;
    public const int RoleRediscoveryId = LogEventIds.InstanceMetadata + 5;
    public const int RetryingId = LogEventIds.InstanceMetadata + 6;
    public const int RegionUnavailableId = LogEventIds.InstanceMetadata + 7;
    public const int ExtendedApiUnavailableId = LogEventIds.InstanceMetadata + 8;

    [LoggerMessage(EventId = V1FallbackId, EventName = "V1Fallback", Level = LogLevel.Information,
        Message = "Instance metadata at {Endpoint}: the IMDSv2 token request {Reason}; this request falls back to IMDSv1 (set AWS_EC2_METADATA_V1_DISABLED=true to forbid it)")]
    public static partial void V1Fallback(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = TokenRejectedId, EventName = "TokenRejected", Level = LogLevel.Debug,
        Message = "Instance metadata at {Endpoint} answered 401 to {Path}; fetching a new session token")]
    public static partial void TokenRejected(ILogger logger, string endpoint, string path);

    [LoggerMessage(EventId = ExpiredCredentialsExtendedId, EventName = "ExpiredCredentialsExtended", Level = LogLevel.Warning,
        Message = "Instance metadata at {Endpoint} returned credentials (access key {AccessKeyId}) that expired at {Expiration:O}; using them for {ExtensionMinutes} more minutes while the service recovers (static stability). Calls may fail if AWS rejects them.")]
    public static partial void ExpiredCredentialsExtended(ILogger logger, string endpoint, string accessKeyId, DateTimeOffset expiration, int extensionMinutes);

    [LoggerMessage(EventId = RoleDiscoveredId, EventName = "RoleDiscovered", Level = LogLevel.Debug,
        Message = "Instance metadata at {Endpoint} lists role {RoleName} ({Api} API)")]
    public static partial void RoleDiscovered(ILogger logger, string endpoint, string roleName, string api);

    [LoggerMessage(EventId = RoleRediscoveryId, EventName = "RoleRediscovery", Level = LogLevel.Information,
        Message = "Instance metadata at {Endpoint} answered 404 for role {RoleName}; discovering the role again")]
    public static partial void RoleRediscovery(ILogger logger, string endpoint, string roleName);

    [LoggerMessage(EventId = RetryingId, EventName = "Retrying", Level = LogLevel.Debug,
        Message = "Instance metadata at {Endpoint}: retrying {Path} after {Outcome} (attempt {Attempt})")]
    public static partial void Retrying(ILogger logger, string endpoint, string path, string outcome, int attempt);

    [LoggerMessage(EventId = RegionUnavailableId, EventName = "RegionUnavailable", Level = LogLevel.Debug,
        Message = "The instance's region could not be read from instance metadata: {Reason}")]
    public static partial void RegionUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = ExtendedApiUnavailableId, EventName = "ExtendedApiUnavailable", Level = LogLevel.Debug,
        Message = "Instance metadata at {Endpoint} answered HTTP {Status} to the extended credentials API; using the legacy API")]
    public static partial void ExtendedApiUnavailable(ILogger logger, string endpoint, int status);
}
