using Microsoft.Extensions.Diagnostics.HealthChecks;
using WorkloadCredentials;
using WorkloadCredentials.Diagnostics;

namespace WebApi;

/// <summary>Healthy while credentials can be had (a cache hit, normally); unhealthy with the library's reason otherwise.</summary>
internal sealed class CredentialsHealthCheck(IAwsCredentialSource source) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        CredentialSourceDescription description;
        try
        {
            description = await source.DescribeAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"No AWS credentials within {Timeout.TotalSeconds:0} s: a source is not answering (see GET /credentials).");
        }

        if (description.Status != CredentialResolutionStatus.Resolved)
        {
            return HealthCheckResult.Unhealthy(description.ErrorMessage);
        }

        var data = new Dictionary<string, object> { ["source"] = description.SourceName!, ["accessKeyId"] = description.RedactedAccessKeyId! };
        if (description.RoleArn is { } role)
        {
            data["roleArn"] = role;
        }

        if (description.Expiration is { } expiration)
        {
            data["expiration"] = expiration;
        }

        return HealthCheckResult.Healthy($"AWS credentials from {description.SourceName}.", data);
    }
}
