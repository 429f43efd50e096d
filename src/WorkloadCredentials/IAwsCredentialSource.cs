namespace WorkloadCredentials;

/// <summary>
/// A source of AWS credentials: the one seam every part of the library, and every custom source, shares.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>A source that is not configured, or cannot be reached, throws <see cref="CredentialUnavailableException"/>: a chain moves on to its next source.</description></item>
/// <item><description>A source that is configured but fails throws <see cref="AwsCredentialException"/>: a chain stops there and never falls through to a different identity.</description></item>
/// <item><description>The sources returned by <see cref="AwsCredentialSources"/> and by dependency injection are cached: a cache hit completes synchronously, takes no lock and allocates nothing.</description></item>
/// </list>
/// </remarks>
public interface IAwsCredentialSource
{
    /// <summary>Gets credentials to sign AWS requests with.</summary>
    /// <param name="cancellationToken">Cancels the caller's wait. A refresh shared with other callers is not cancelled.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="CredentialUnavailableException">The source is not configured or cannot be reached.</exception>
    /// <exception cref="AwsCredentialException">The source is configured but failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default);
}
