namespace WorkloadCredentials.Caching.Internal;

/// <summary>Where cached credentials stand against their refresh points.</summary>
internal enum CachePhase
{
    /// <summary>Fresh: served from the hot path, nothing else happens.</summary>
    Fresh = 0,

    /// <summary>Inside the advisory window: served at once while a background refresh runs. No caller waits.</summary>
    Advisory = 1,

    /// <summary>Inside the mandatory window (or invalidated): callers wait for a refresh unless a backoff is active.</summary>
    Mandatory = 2,

    /// <summary>Expired: callers wait for a refresh; if it fails, the expired credentials are served (static stability).</summary>
    Expired = 3,
}
