namespace WorkloadCredentials.Caching.Internal;

/// <summary>Invalidation: a service rejected the cached credentials.</summary>
internal sealed partial class RefreshingCredentialCache
{
    /// <inheritdoc/>
    public void Invalidate(string rejectedAccessKeyId)
    {
        ArgumentNullException.ThrowIfNull(rejectedAccessKeyId);
        CredentialSnapshot state = _state;
        if (state.Credentials is { } credentials && string.Equals(credentials.AccessKeyId, rejectedAccessKeyId, StringComparison.Ordinal))
        {
            if (state.Invalidate())
            {
                // The next call refreshes, even during a backoff: serving keys a service has just rejected helps nobody, and a role
                // source that invalidates its signing keys retries at once (else it would sign with them again until the backoff ends,
                // up to 10 minutes after its own source recovered). Once per snapshot: a failing refresh then backs off on the short
                // schedule, so repeated rejections of the same keys cause no storm.
                lock (_lock)
                {
                    if (ReferenceEquals(state, _state))
                    {
                        _backoffUntil = long.MinValue;
                        _backgroundRetryAt = long.MinValue;
                    }
                }
            }

            _telemetry.Invalidated(credentials.SourceName);
        }
    }
}
