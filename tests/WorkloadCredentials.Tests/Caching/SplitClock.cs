using Microsoft.Extensions.Time.Testing;

namespace WorkloadCredentials.Tests.Caching;

/// <summary>A fake clock whose wall clock can be stepped against its monotonic clock (timers run on the monotonic one).</summary>
internal sealed class SplitClock(DateTimeOffset start) : TimeProvider
{
    public FakeTimeProvider Monotonic { get; } = new(start);

    public TimeSpan WallOffset { get; set; }

    public override DateTimeOffset GetUtcNow() => Monotonic.GetUtcNow() + WallOffset;

    public override long GetTimestamp() => Monotonic.GetTimestamp();

    public override long TimestampFrequency => Monotonic.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Monotonic.CreateTimer(callback, state, dueTime, period);
}
