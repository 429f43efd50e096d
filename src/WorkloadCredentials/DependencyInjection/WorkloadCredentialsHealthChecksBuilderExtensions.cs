using Microsoft.Extensions.Diagnostics.HealthChecks;
using WorkloadCredentials.Health;
using WorkloadCredentials.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the WorkloadCredentials health check to an <see cref="IHealthChecksBuilder"/>.</summary>
public static class WorkloadCredentialsHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check of the credentials registered with <c>AddWorkloadCredentials</c>: the default registration, or the named
    /// one. Healthy when the cached credentials are fresh; Degraded when they are served after failed refreshes or are inside the
    /// mandatory refresh window; Unhealthy when nothing resolves or they have expired. Its data: registration, source, role,
    /// expiry, the access key id redacted, and the last refresh error. Never a secret.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="sourceName">The name of a named registration, or <see langword="null"/> for the default one.</param>
    /// <param name="checkName">The name of the check; by default <c>aws-credentials</c> (<c>aws-credentials-{sourceName}</c> for a named one).</param>
    /// <param name="tags">Tags to filter checks by (for example <c>ready</c>).</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHealthChecksBuilder AddWorkloadCredentials(this IHealthChecksBuilder builder, string? sourceName = null, string? checkName = null, IEnumerable<string>? tags = null)
    {
        Throw.IfNull(builder);
        string name = checkName ?? (sourceName is null ? "aws-credentials" : "aws-credentials-" + sourceName);
        return builder.Add(new HealthCheckRegistration(name, sp => new WorkloadCredentialsHealthCheck(sp, sourceName), failureStatus: null, tags));
    }
}
