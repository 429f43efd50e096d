namespace WorkloadCredentials.Caching.Internal;

/// <summary>
/// Disposal: stop the heartbeat, release the waiters, wait (bounded) for a refresh under way to unwind, then dispose the source when
/// the cache owns it. Idempotent.
/// </summary>
internal sealed partial class RefreshingCredentialCache
{
    /// <summary>
    /// How long disposing waits for a refresh under way (already cancelled) to unwind before the source it uses is disposed. Real time,
    /// not the cache's clock: a fake clock that never advances must not hold disposal forever.
    /// </summary>
    internal static readonly TimeSpan RefreshUnwindWait = TimeSpan.FromSeconds(2);

    /// <summary>The source's call under way: a refresh abandons a call that outlives its budget or the cache, the source's call runs on.</summary>
    private Task? _fetch;

    public void Dispose()
    {
        if (!StopOnce(out Task? refresh))
        {
            return;
        }

        if (refresh is not null)
        {
            // Task.Run'd refreshes unwind on the thread pool: a bounded blocking wait cannot deadlock on this thread's context.
            _ = Task.WaitAny([refresh], RefreshUnwindWait);
        }

        if (_ownsInner)
        {
            _inner.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!StopOnce(out Task? refresh))
        {
            return;
        }

        if (refresh is not null)
        {
            // Its outcome belongs to its waiters; only its end (or the bound) matters here.
            await ((Task)refresh).WaitAsync(RefreshUnwindWait, TimeProvider.System).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_ownsInner)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops the heartbeat and the refresh under way (the source's call it made is returned in <paramref name="refresh"/>, to wait for); its waiters get an
    /// <see cref="ObjectDisposedException"/>, not a cancellation they never asked for.
    /// </summary>
    private bool StopOnce(out Task? refresh)
    {
        refresh = null;
        if (Interlocked.Exchange(ref _disposeCount, 1) != 0)
        {
            return false;
        }

        _heartbeat.Dispose();
        _expiryGauge.Dispose();
        lock (_lock)
        {
            // The hot path now misses and throws: nothing is served from a disposed cache.
            _state = CredentialSnapshot.Empty;
            refresh = Volatile.Read(ref _fetch) is { IsCompleted: false } fetch ? fetch : null;
        }

        // Not disposed: a refresh that is still unwinding may read its token.
        _disposed.Cancel();
        return true;
    }

    /// <summary>Records the source's call under way, for disposal to wait for; forgets it once it ends.</summary>
    private void TrackFetch(Task fetch)
    {
        Volatile.Write(ref _fetch, fetch);
        _ = fetch.ContinueWith(
            static (ended, state) => Interlocked.CompareExchange(ref ((RefreshingCredentialCache)state!)._fetch, null, ended),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
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
