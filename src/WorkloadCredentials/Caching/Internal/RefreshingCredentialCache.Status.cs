namespace WorkloadCredentials.Caching.Internal;

/// <summary>The cache's status for health checks: what it holds, in which phase, and why the last refresh failed.</summary>
internal sealed partial class RefreshingCredentialCache
{
    private volatile Exception? _lastError;

    /// <summary>Gets the clock of the cache.</summary>
    internal TimeProvider Time => _time;

    /// <summary>Gets where the cache stands now (both clocks read; no I/O, no refresh started).</summary>
    internal CacheStatus GetStatus()
    {
        CredentialSnapshot state = _state;
        CachePhase phase = state.Evaluate(_time.GetTimestamp(), _time.GetUtcNow());
        return new CacheStatus(state.Credentials, phase, _lastError);
    }

    private void RecordRefreshOutcome(Exception? error) => _lastError = error;
}
