using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Diagnostics.Internal;

namespace WorkloadCredentials.Health;

/// <summary>
/// Turns a cache's status into a health result. Healthy: fresh credentials (or in the advisory window, refreshed in the background).
/// Degraded: served after failed refreshes, or inside the mandatory window. Unhealthy: none resolved, or expired.
/// </summary>
internal static class CredentialHealth
{
    public static HealthCheckResult Evaluate(CacheStatus status, string registration, DateTimeOffset now)
    {
        var text = new DescriptionText();
        var data = new Dictionary<string, object> { ["registration"] = registration };
        if (status.Credentials is not { } credentials)
        {
            string error = text.Clean(status.LastError?.Message) ?? "No credentials were resolved yet.";
            data["lastError"] = error;
            return HealthCheckResult.Unhealthy($"No AWS credentials for '{registration}': {error}", data: data);
        }

        text.AddSecret(credentials.SecretAccessKey);
        text.AddSecret(credentials.SessionToken);
        data["source"] = text.Clean(credentials.SourceName)!;
        data["accessKeyId"] = credentials.RedactedAccessKeyId;
        if (credentials.RoleArn is { } role)
        {
            data["role"] = text.Clean(role)!;
        }

        if (credentials.Expiration is { } expiration)
        {
            data["expiration"] = expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        string? lastError = text.Clean(status.LastError?.Message);
        if (lastError is not null)
        {
            data["lastError"] = lastError;
        }

        string from = $"AWS credentials for '{registration}' from {data["source"]}";
        if (status.Phase == CachePhase.Expired || credentials.Expiration <= now)
        {
            return HealthCheckResult.Unhealthy($"{from} have expired and no refresh succeeded{(lastError is null ? "." : ": " + lastError)}", data: data);
        }

        if (lastError is not null)
        {
            return HealthCheckResult.Degraded($"{from} are served from the cache after failed refreshes: {lastError}", data: data);
        }

        if (status.Phase == CachePhase.Mandatory)
        {
            return HealthCheckResult.Degraded($"{from} are about to expire (inside the mandatory refresh window); a refresh is due.", data: data);
        }

        return HealthCheckResult.Healthy($"{from}.", data);
    }
}
