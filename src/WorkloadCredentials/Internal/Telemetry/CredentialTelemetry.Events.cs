using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>
/// The events that are log lines only (their metrics and spans are the service calls and refreshes they happen in): the chain
/// (1100-1199), STS (300-399), profiles (500-519), instance metadata (1600-1699) and container credentials (1700-1799).
/// </summary>
internal sealed partial class CredentialTelemetry
{
    public void SourceChosen(string sourceName, string accessKeyId)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            string redacted = AwsCredentials.RedactAccessKeyId(accessKeyId);
            ChainLog.SourceChosen(_logger, sourceName, redacted);
        }
    }

    public void SourceUnavailable(string sourceName, string reason) => ChainLog.SourceUnavailable(_logger, sourceName, reason);

    public void SourceFailed(string sourceName, string reason) => ChainLog.SourceFailed(_logger, sourceName, reason);

    public void NoSourceResolved(int sourceCount) => ChainLog.NoSourceResolved(_logger, sourceCount);

    public void KeysOverrideRole(string sourceName, string roleSetting) => ChainLog.KeysOverrideRole(_logger, sourceName, roleSetting);

    public void StsEndpointSelected(string sourceName, Uri endpoint, string signingRegion, string origin) =>
        _logger.StsEndpointSelected(sourceName, endpoint, signingRegion, origin);

    public void StsRetrying(string sourceName, int attempt, string reason, long delayMilliseconds, string host)
    {
        _logger.StsRetrying(sourceName, attempt, reason, delayMilliseconds, host);
        _ = Activity.Current?.AddEvent(new ActivityEvent("retry"));
    }

    public void StsCallFailed(string sourceName, string host, string kind, string errorCode, int attempts, long elapsedMilliseconds) =>
        _logger.StsCallFailed(sourceName, host, kind, errorCode, attempts, elapsedMilliseconds);

    public void StsCredentialsIssued(string sourceName, string roleArn, string roleSessionName, string accessKeyId, DateTimeOffset? expiration)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            string redacted = AwsCredentials.RedactAccessKeyId(accessKeyId);
            _logger.StsCredentialsIssued(sourceName, roleArn, roleSessionName, redacted, expiration);
        }
    }

    public void WebIdentityTokenRotatedRetry(string sourceName, string errorCode, string tokenFile) =>
        _logger.WebIdentityTokenRotatedRetry(sourceName, errorCode, tokenFile);

    public void RoleChainingDurationCapped(string sourceName, string roleArn, TimeSpan requestedDuration) =>
        _logger.RoleChainingDurationCapped(sourceName, roleArn, requestedDuration);

    public void SourceCredentialsRejected(string sourceName, string accessKeyId, string errorCode)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            string redacted = AwsCredentials.RedactAccessKeyId(accessKeyId);
            _logger.SourceCredentialsRejected(sourceName, redacted, errorCode);
        }
    }

    public void StsRegionDefaulted(string sourceName, string hint) => _logger.StsRegionDefaulted(sourceName, hint);

    public void ProfileChainResolved(string profileName, string profileNameOrigin, string plan) => _logger.ChainResolved(profileName, profileNameOrigin, plan);

    public void CredentialProcessExited(string profileName, string program, bool usedShell, int exitCode, long elapsedMilliseconds) =>
        _logger.CredentialProcessExited(profileName, program, usedShell, exitCode, elapsedMilliseconds);

    public void ProfileFilesRead(string configFile, string credentialsFile, int profileCount) => _logger.FilesRead(configFile, credentialsFile, profileCount);

    public void CredentialProcessStandardError(string profileName, string standardError) => _logger.StandardError(profileName, standardError);

    public void ImdsV1Fallback(string endpoint, string reason) => ImdsLog.V1Fallback(_logger, endpoint, reason);

    public void ImdsTokenRejected(string endpoint, string path) => ImdsLog.TokenRejected(_logger, endpoint, path);

    public void ImdsExpiredCredentialsExtended(string endpoint, string accessKeyId, DateTimeOffset expiration, int extensionMinutes)
    {
        string redacted = AwsCredentials.RedactAccessKeyId(accessKeyId);
        ImdsLog.ExpiredCredentialsExtended(_logger, endpoint, redacted, expiration, extensionMinutes);
    }

    public void ImdsRoleDiscovered(string endpoint, string roleName, string api) => ImdsLog.RoleDiscovered(_logger, endpoint, roleName, api);

    public void ImdsRoleRediscovery(string endpoint, string roleName) => ImdsLog.RoleRediscovery(_logger, endpoint, roleName);

    public void ImdsRetrying(string endpoint, string path, string outcome, int attempt)
    {
        ImdsLog.Retrying(_logger, endpoint, path, outcome, attempt);
        _ = Activity.Current?.AddEvent(new ActivityEvent("retry"));
    }

    public void ImdsRegionUnavailable(string reason) => ImdsLog.RegionUnavailable(_logger, reason);

    public void ImdsExtendedApiUnavailable(string endpoint, int status) => ImdsLog.ExtendedApiUnavailable(_logger, endpoint, status);

    public void ContainerFetching(string endpoint, string authorization) => ContainerLog.Fetching(_logger, endpoint, authorization);

    public void ContainerRetrying(string endpoint, string outcome, int attempt)
    {
        ContainerLog.Retrying(_logger, endpoint, outcome, attempt);
        _ = Activity.Current?.AddEvent(new ActivityEvent("retry"));
    }
}
