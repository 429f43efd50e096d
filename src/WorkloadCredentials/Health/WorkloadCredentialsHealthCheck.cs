using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Diagnostics;

namespace WorkloadCredentials.Health;

/// <summary>
/// The health check of one registration (the default one, or a named one). Reads the cache's status; only when nothing was fetched
/// yet does it resolve once, within <see cref="FirstResolutionBudget"/>.
/// </summary>
internal sealed class WorkloadCredentialsHealthCheck(IServiceProvider services, string? sourceName) : IHealthCheck
{
    public static readonly TimeSpan FirstResolutionBudget = TimeSpan.FromSeconds(10);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        string registration = sourceName ?? "default";
        ICachedAwsCredentialSource source = sourceName is null
            ? services.GetRequiredService<ICachedAwsCredentialSource>()
            : services.GetRequiredKeyedService<ICachedAwsCredentialSource>(sourceName);
        TimeProvider time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        if (source is not RefreshingCredentialCache cache)
        {
            return await DescribeAsync(source, registration, cancellationToken).ConfigureAwait(false);
        }

        if (cache.GetStatus().Credentials is null)
        {
            using var budget = new CancellationTokenSource(FirstResolutionBudget, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(budget.Token, cancellationToken);
            try
            {
                _ = await cache.GetCredentialsAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy(
                    $"No AWS credentials for '{registration}' within {FirstResolutionBudget.TotalSeconds:0} s: a source is not answering.",
                    data: new Dictionary<string, object> { ["registration"] = registration });
            }
            catch (Exception ex) when (ex is AwsCredentialException or CredentialUnavailableException)
            {
                // Recorded by the cache as its last error; the status below reports it.
            }
        }

        return CredentialHealth.Evaluate(cache.GetStatus(), registration, time.GetUtcNow());
    }

    private static async Task<HealthCheckResult> DescribeAsync(IAwsCredentialSource source, string registration, CancellationToken cancellationToken)
    {
        CredentialSourceDescription description = await source.DescribeAsync(cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object> { ["registration"] = registration };
        if (description.Status != CredentialResolutionStatus.Resolved)
        {
            data["lastError"] = description.ErrorMessage ?? "unknown";
            return HealthCheckResult.Unhealthy($"No AWS credentials for '{registration}': {description.ErrorMessage}", data: data);
        }

        data["source"] = description.SourceName!;
        data["accessKeyId"] = description.RedactedAccessKeyId!;
        if (description.RoleArn is { } role)
        {
            data["role"] = role;
        }

        return HealthCheckResult.Healthy($"AWS credentials for '{registration}' from {description.SourceName}.", data);
    }
}
