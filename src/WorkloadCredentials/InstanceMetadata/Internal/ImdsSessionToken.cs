namespace WorkloadCredentials.InstanceMetadata.Internal;

/// <summary>An IMDSv2 session token and until when (on the monotonic clock) it is reused. Never logged or shown.</summary>
internal sealed class ImdsSessionToken
{
    public ImdsSessionToken(string value, long obtainedAt, TimeSpan usableFor)
    {
        Value = value;
        ObtainedAt = obtainedAt;
        UsableFor = usableFor;
    }

    public string Value { get; }

    public long ObtainedAt { get; }

    public TimeSpan UsableFor { get; }

    public bool IsUsable(TimeProvider timeProvider) => timeProvider.GetElapsedTime(ObtainedAt) < UsableFor;

    /// <summary>Reuses a token until shortly before it expires: its lifetime minus a margin of a tenth of it, at most a minute.</summary>
    public static TimeSpan ReuseWindow(TimeSpan ttl) => ttl - TimeSpan.FromTicks(Math.Min(ttl.Ticks / 10, TimeSpan.FromMinutes(1).Ticks));

    public override string ToString() => "ImdsSessionToken { *** }";
}
