namespace WorkloadCredentials.Caching.Internal;

/// <summary>Disposal: stop the heartbeat, release the waiters, and dispose the source when the cache owns it.</summary>
internal sealed partial class RefreshingCredentialCache
{
    public void Dispose()
    {
        if (!StopOnce())
        {
            return;
        }

        if (_ownsInner && _inner is IDisposable disposable)
        {
            disposable.Dispose();
        }
        else if (_ownsInner && _inner is IAsyncDisposable asyncDisposable)
        {
            asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!StopOnce())
        {
            return;
        }

        if (_ownsInner && _inner is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else if (_ownsInner && _inner is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    /// <summary>Stops the heartbeat and the refresh under way; its waiters get an <see cref="ObjectDisposedException"/>, not a cancellation they never asked for.</summary>
    private bool StopOnce()
    {
        if (Interlocked.Exchange(ref _disposeCount, 1) != 0)
        {
            return false;
        }

        _heartbeat.Dispose();
        lock (_lock)
        {
            // The hot path now misses and throws: nothing is served from a disposed cache.
            _state = CredentialSnapshot.Empty;
        }

        // Not disposed: a refresh that is still unwinding may read its token.
        _disposed.Cancel();
        return true;
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposeCount) != 0)
        {
            throw CreateDisposedException();
        }
    }

    private ObjectDisposedException CreateDisposedException() =>
        new(
            nameof(RefreshingCredentialCache),
            $"The AWS credential cache over {_description} has been disposed: it serves no more credentials. "
            + "Dispose it only when the application stops, or create a new one (AwsCredentialSources.CreateDefault, AddWorkloadCredentials).");

    private static string Describe(IAwsCredentialSource inner) => inner.GetType().Name;
}
