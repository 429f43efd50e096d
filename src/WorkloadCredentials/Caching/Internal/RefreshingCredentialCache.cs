using Microsoft.Extensions.Logging;

namespace WorkloadCredentials.Caching.Internal;

/// <summary>
/// The refresh cache in front of every source. PLACEHOLDER: being written (refresh spec, background refresh, single flight).
/// Its constructor signature is the contract other code builds on.
/// </summary>
internal sealed class RefreshingCredentialCache : ICachedAwsCredentialSource, IDisposable
{
    private readonly IAwsCredentialSource _inner;
    private AwsCredentials? _current;

    public RefreshingCredentialCache(IAwsCredentialSource inner, CredentialCacheOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _inner = inner;
        _ = options;
        _ = timeProvider;
        _ = logger;
    }

    /// <summary>Gets the source behind the cache.</summary>
    public IAwsCredentialSource Inner => _inner;

    /// <summary>Gets the credentials currently cached, or <see langword="null"/>, without any I/O.</summary>
    public AwsCredentials? Current => Volatile.Read(ref _current);

    public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        AwsCredentials? current = Volatile.Read(ref _current);
        if (current is not null)
        {
            return current;
        }

        current = await _inner.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _current, current);
        return current;
    }

    public void Invalidate(string rejectedAccessKeyId)
    {
        ArgumentNullException.ThrowIfNull(rejectedAccessKeyId);
        _ = Interlocked.CompareExchange(ref _current, null, _current?.AccessKeyId == rejectedAccessKeyId ? _current : null);
    }

    public void Dispose()
    {
    }
}
