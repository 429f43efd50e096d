namespace WorkloadCredentials.Caching.Internal;

/// <summary>
/// One immutable set of cached credentials with its refresh points, published in a single field. Only <see cref="Phase"/>
/// and <see cref="Invalidated"/> change after publication, by the heartbeat or a slow-path caller, never by the hot path.
/// </summary>
internal sealed class CredentialSnapshot
{
    public static readonly CredentialSnapshot Empty = new(null, long.MaxValue, long.MaxValue, long.MaxValue, null, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    private int _phase;
    private int _invalidated;

    public CredentialSnapshot(
        AwsCredentials? credentials,
        long refreshAt,
        long mandatoryAt,
        long expiresAt,
        DateTimeOffset? wallExpiration,
        TimeSpan advisoryWindow,
        TimeSpan mandatoryWindow,
        TimeSpan jitterOffset)
    {
        Credentials = credentials;
        RefreshAt = refreshAt;
        MandatoryAt = mandatoryAt;
        ExpiresAt = expiresAt;
        WallExpiration = wallExpiration;
        AdvisoryWindow = advisoryWindow;
        MandatoryWindow = mandatoryWindow;
        JitterOffset = jitterOffset;
        _phase = credentials is null ? (int)CachePhase.Expired : (int)CachePhase.Fresh;
    }

    public AwsCredentials? Credentials { get; }

    /// <summary>Gets the monotonic timestamp (<see cref="TimeProvider.GetTimestamp"/>) of the jittered background refresh point.</summary>
    public long RefreshAt { get; }

    /// <summary>Gets the monotonic timestamp at which callers start to wait for a refresh.</summary>
    public long MandatoryAt { get; }

    /// <summary>Gets the monotonic timestamp of expiry.</summary>
    public long ExpiresAt { get; }

    /// <summary>Gets the expiry the source gave (wall clock), used to notice suspends and forward clock steps.</summary>
    public DateTimeOffset? WallExpiration { get; }

    public TimeSpan AdvisoryWindow { get; }

    public TimeSpan MandatoryWindow { get; }

    /// <summary>Gets how far after the start of the advisory window this snapshot's refresh point was moved at random.</summary>
    public TimeSpan JitterOffset { get; }

    public CachePhase Phase
    {
        get => (CachePhase)Volatile.Read(ref _phase);
        set => Volatile.Write(ref _phase, (int)value);
    }

    public bool Invalidated => Volatile.Read(ref _invalidated) != 0;

    /// <summary>Marks the credentials as rejected by a service.</summary>
    /// <returns><see langword="true"/> the first time only.</returns>
    public bool Invalidate()
    {
        bool first = Interlocked.Exchange(ref _invalidated, 1) == 0;
        Phase = CachePhase.Mandatory > Phase ? CachePhase.Mandatory : Phase;
        return first;
    }

    /// <summary>Works out the phase from both clocks: the monotonic deadlines, and the wall clock (which alone moves during a system suspend).</summary>
    public CachePhase Evaluate(long now, DateTimeOffset wallNow)
    {
        if (Credentials is null)
        {
            return CachePhase.Expired;
        }

        CachePhase phase = CachePhase.Fresh;
        if (WallExpiration is { } expiration)
        {
            if (now >= ExpiresAt || wallNow >= expiration)
            {
                phase = CachePhase.Expired;
            }
            else if (now >= MandatoryAt || wallNow >= expiration - MandatoryWindow)
            {
                phase = CachePhase.Mandatory;
            }
            else if (now >= RefreshAt || wallNow >= expiration - AdvisoryWindow + JitterOffset)
            {
                phase = CachePhase.Advisory;
            }
        }

        if (Invalidated && phase < CachePhase.Mandatory)
        {
            phase = CachePhase.Mandatory;
        }

        return phase;
    }
}
