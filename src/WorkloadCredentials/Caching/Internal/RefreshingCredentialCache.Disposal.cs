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

    /// <summary>
    /// The source's calls under way (guarded by itself). A refresh abandons a call that outlives its budget and the next refresh makes
    /// another while it runs on, so there can be several; disposal waits for all of them before it disposes the source.
    /// </summary>
    private readonly HashSet<Task> _fetches = [];

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
    /// Stops the heartbeat and the refresh under way (the source's calls under way are returned in <paramref name="refresh"/>, to wait for); its waiters get an
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
        }

        lock (_fetches)
        {
            refresh = _fetches.Count switch
            {
                0 => null,
                1 => _fetches.First(),
                _ => Task.WhenAll(_fetches),
            };
        }

        // Not disposed: a refresh that is still unwinding may read its token.
        _disposed.Cancel();
        return true;
    }

    /// <summary>Records a source's call under way, for disposal to wait for; forgets it once it ends.</summary>
    private void TrackFetch(Task fetch)
    {
        lock (_fetches)
        {
            _ = _fetches.Add(fetch);
        }

        _ = fetch.ContinueWith(
            static (ended, state) =>
            {
                HashSet<Task> fetches = ((RefreshingCredentialCache)state!)._fetches;
                lock (fetches)
                {
                    _ = fetches.Remove(ended);
                }
            },
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
