using Microsoft.Extensions.Time.Testing;

namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>
/// A fake clock whose wall clock can move apart from its monotonic clock, as on a real machine: a system suspend (laptop lid)
/// moves the wall clock but not the monotonic one; an NTP step moves only the wall clock, either way.
/// </summary>
public sealed class ClockSkewTimeProvider(FakeTimeProvider inner) : TimeProvider
{
    public FakeTimeProvider Inner { get; } = inner;

    public TimeSpan WallOffset { get; set; }

    public override DateTimeOffset GetUtcNow() => Inner.GetUtcNow() + WallOffset;

    public override long GetTimestamp() => Inner.GetTimestamp();

    public override long TimestampFrequency => Inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Inner.CreateTimer(callback, state, dueTime, period);
}
