using Microsoft.Extensions.Logging;
namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>The IAM Identity Center (SSO) source's logs (1800-1899), written through <see cref="CredentialTelemetry"/>. Never a token, a refresh token or a client secret: only where, when and who.</summary>
internal static partial class SsoLog
{
    [LoggerMessage(EventId = LogEventIds.Sso + 1, EventName = "SsoTokenRead", Level = LogLevel.Debug,
        Message = "Sso: read the token of {Subject} from {CachePath}; it expires at {ExpiresAt}")]
    public static partial void TokenRead(this ILogger logger, string subject, string cachePath, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = LogEventIds.Sso + 2, EventName = "SsoTokenRefreshing", Level = LogLevel.Information,
        Message = "Sso: the token of {Subject} expires at {ExpiresAt}; refreshing it through SSO OIDC at {Endpoint}")]
    public static partial void TokenRefreshing(this ILogger logger, string subject, DateTimeOffset expiresAt, string endpoint);

    [LoggerMessage(EventId = LogEventIds.Sso + 3, EventName = "SsoTokenRefreshed", Level = LogLevel.Information,
        Message = "Sso: the token of {Subject} was refreshed; it now expires at {ExpiresAt} and was written back to {CachePath}")]
    public static partial void TokenRefreshed(this ILogger logger, string subject, DateTimeOffset expiresAt, string cachePath);

    [LoggerMessage(EventId = LogEventIds.Sso + 4, EventName = "SsoTokenRefreshFailed", Level = LogLevel.Warning,
        Message = "Sso: refreshing the token of {Subject} failed ({Reason}); the current token is used until it expires at {ExpiresAt}")]
    public static partial void TokenRefreshFailed(this ILogger logger, string subject, string reason, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = LogEventIds.Sso + 5, EventName = "SsoTokenWriteBackFailed", Level = LogLevel.Warning,
        Message = "Sso: the refreshed token of {Subject} could not be written back to {CachePath} ({Reason}); it is used from memory")]
    public static partial void TokenWriteBackFailed(this ILogger logger, string subject, string cachePath, string reason);

    [LoggerMessage(EventId = LogEventIds.Sso + 6, EventName = "SsoRoleCredentialsFetched", Level = LogLevel.Debug,
        Message = "Sso: role {RoleName} in account {AccountId} from {Endpoint}; the credentials expire at {Expiration}")]
    public static partial void RoleCredentialsFetched(this ILogger logger, string roleName, string accountId, string endpoint, DateTimeOffset expiration);
}
