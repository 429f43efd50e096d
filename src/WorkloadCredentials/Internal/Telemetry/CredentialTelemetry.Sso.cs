namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>
/// The IAM Identity Center (SSO) source's events (1800-1899): the cached token read and refreshed, and the role credentials fetched.
/// Their metrics and spans are the portal and OIDC calls (<see cref="TelemetryTags.Sso"/>, <see cref="TelemetryTags.SsoOidc"/>).
/// Never a token, a refresh token or a client secret: only where, when and who.
/// </summary>
internal sealed partial class CredentialTelemetry
{
    public void SsoTokenRead(string subject, string cachePath, DateTimeOffset expiresAt) => _logger.TokenRead(subject, cachePath, expiresAt);

    public void SsoTokenRefreshing(string subject, DateTimeOffset expiresAt, string endpoint) => _logger.TokenRefreshing(subject, expiresAt, endpoint);

    public void SsoTokenRefreshed(string subject, DateTimeOffset expiresAt, string cachePath) => _logger.TokenRefreshed(subject, expiresAt, cachePath);

    public void SsoTokenRefreshFailed(string subject, string reason, DateTimeOffset expiresAt) => _logger.TokenRefreshFailed(subject, reason, expiresAt);

    public void SsoTokenWriteBackFailed(string subject, string cachePath, string reason) => _logger.TokenWriteBackFailed(subject, cachePath, reason);

    public void SsoRoleCredentialsFetched(string roleName, string accountId, string endpoint, DateTimeOffset expiration) =>
        _logger.RoleCredentialsFetched(roleName, accountId, endpoint, expiration);
}
