using Microsoft.Extensions.Diagnostics.HealthChecks;
using WorkloadCredentials;

namespace WebApi;

/// <summary>Healthy while credentials can be had (a cache hit, normally); unhealthy with the library's reason otherwise.</summary>
internal sealed class CredentialsHealthCheck(IAwsCredentialSource source) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            AwsCredentials credentials = await source.GetCredentialsAsync(timeout.Token);
            var data = new Dictionary<string, object> { ["source"] = credentials.SourceName };
            if (credentials.RoleArn is { } role)
            {
                data["roleArn"] = role;
            }

            if (credentials.Expiration is { } expiration)
            {
                data["expiration"] = expiration;
            }

            return HealthCheckResult.Healthy($"AWS credentials from {credentials.SourceName}.", data);
        }
        catch (AwsCredentialException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"No AWS credentials within {Timeout.TotalSeconds:0} s: a source is not answering (see GET /credentials).");
        }
    }
}
