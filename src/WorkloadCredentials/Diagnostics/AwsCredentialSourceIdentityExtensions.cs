using WorkloadCredentials.Diagnostics.Internal;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Diagnostics;

/// <summary>Asks STS who a credential source's credentials are: <c>workload-credentials whoami</c>, from code (health endpoints, start-up logs).</summary>
public static class AwsCredentialSourceIdentityExtensions
{
    /// <summary>
    /// Gets credentials from <paramref name="source"/> (a cache hit for a cached source) and calls <c>sts:GetCallerIdentity</c> with them.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The STS endpoint and region are resolved as the library resolves them for the source: for a source built by
    /// <see cref="AwsCredentialSources.CreateDefault(Action{WorkloadCredentialsOptions}?, TimeProvider?, Microsoft.Extensions.Logging.ILoggerFactory?)"/>
    /// or the dependency injection registrations, from its options (<see cref="WorkloadCredentialsOptions.Region"/>,
    /// <see cref="Sts.StsOptions.EndpointUrl"/>, <see cref="WorkloadCredentialsOptions.Profile"/>); for any other source, from the environment
    /// alone. Region: the options, <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the selected profile's <c>region</c>, else <c>us-east-1</c>.
    /// Endpoint: the options, <c>AWS_ENDPOINT_URL_STS</c>, <c>AWS_ENDPOINT_URL</c>, the profile's <c>[services]</c> and <c>endpoint_url</c>
    /// (with <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c>), else the regional endpoint. Plain <c>http://</c> only to a loopback host.
    /// </para>
    /// <para>No redirect is followed (the request carries the credentials) and the answer is capped at 64 KiB.</para>
    /// </remarks>
    /// <param name="source">The source whose credentials to check.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account, ARN and user id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="CredentialUnavailableException">The source has no credentials (nothing is configured).</exception>
    /// <exception cref="CallerIdentityException">Credentials resolved, but the call failed; the message says why and how to fix it.</exception>
    /// <exception cref="AwsCredentialException">The source failed, or a shared config file cannot be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ValueTask<CallerIdentity> GetCallerIdentityAsync(this IAwsCredentialSource source, CancellationToken cancellationToken = default) =>
        CallerIdentityClient.GetAsync(Throw.IfNull(source), cancellationToken);
}
