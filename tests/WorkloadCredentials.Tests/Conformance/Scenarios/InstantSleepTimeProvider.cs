using Microsoft.Extensions.Time.Testing;

namespace WorkloadCredentials.Tests.Conformance.Scenarios;

/// <summary>
/// A clock that stands still at the recording's time, as the smithy-rs harness runs (a static time source and an instant sleep):
/// a one-shot delay (a retry backoff: <c>Task.Delay</c> on this provider) completes at once without moving the clock, so the
/// recorded retries happen in the recorded order without real waiting; every other timer (timeouts, which a
/// <see cref="CancellationTokenSource"/> owns, and periodic timers such as the cache's heartbeat) is a
/// <see cref="FakeTimeProvider"/> timer that never fires, because this clock is never advanced.
/// </summary>
internal sealed class InstantSleepTimeProvider : FakeTimeProvider
{
    private int _sleeps;

    public InstantSleepTimeProvider(DateTimeOffset now)
        : base(now)
    {
    }

    /// <summary>Gets how many delays completed at once (retry backoffs).</summary>
    public int Sleeps => Volatile.Read(ref _sleeps);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        bool oneShot = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero;
        bool isTimeout = state is CancellationTokenSource;
        if (oneShot && !isTimeout && dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Increment(ref _sleeps);
            ThreadPool.QueueUserWorkItem(static s => s.Callback(s.State), (Callback: callback, State: state), preferLocal: false);
            return new FiredTimer();
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => default;
    }
}
