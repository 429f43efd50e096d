namespace WorkloadCredentials;

/// <summary>
/// A cached <see cref="IAwsCredentialSource"/> that refreshes ahead of expiry and can be told that a service rejected its credentials.
/// Dispose it to stop its background refresh (the dependency injection container does that for you).
/// </summary>
public interface ICachedAwsCredentialSource : IAwsCredentialSource, IDisposable
{
    /// <summary>
    /// Tells the cache that a service rejected credentials (for example with <c>ExpiredToken</c>). When
    /// <paramref name="rejectedAccessKeyId"/> is the cached access key id, the next call refreshes
    /// (honouring any refresh backoff); otherwise nothing changes, because a newer refresh already replaced them.
    /// </summary>
    /// <param name="rejectedAccessKeyId">The access key id of the rejected credentials.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rejectedAccessKeyId"/> is <see langword="null"/>.</exception>
    void Invalidate(string rejectedAccessKeyId);
}
