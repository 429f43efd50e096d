using WorkloadCredentials.Diagnostics.Internal;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Diagnostics;

/// <summary>Describes a credential source for health endpoints and logs: what <c>workload-credentials describe</c> shows, from code.</summary>
public static class AwsCredentialSourceDescribeExtensions
{
    /// <summary>
    /// Gets credentials from <paramref name="source"/> once (a cache hit for a cached source) and describes them: the source that
    /// resolved, each source of the chain with its status and reason in the chain's last full resolution, the role, account and
    /// expiry, and the access key id redacted. When nothing resolves, the description says why instead of throwing.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Works on any source; the per-source record (<see cref="CredentialSourceDescription.Sources"/>) and the profile are known for the
    /// sources this library builds (<see cref="AwsCredentialSources.CreateDefault(Action{WorkloadCredentialsOptions}?, TimeProvider?, Microsoft.Extensions.Logging.ILoggerFactory?)"/>, <see cref="AwsCredentialSources.Chain"/>, their
    /// <see cref="AwsCredentialSources.Cache"/>, and the dependency injection registrations). When the profile source resolved, the shared
    /// files are read again to describe the profile (nothing is fetched).
    /// </para>
    /// <para>The description never holds a secret; its <see cref="CredentialSourceDescription.ToString"/> is safe to log.</para>
    /// </remarks>
    /// <param name="source">The source to describe.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The description.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ValueTask<CredentialSourceDescription> DescribeAsync(this IAwsCredentialSource source, CancellationToken cancellationToken = default) =>
        CredentialDescriber.DescribeAsync(Throw.IfNull(source), cancellationToken);
}
