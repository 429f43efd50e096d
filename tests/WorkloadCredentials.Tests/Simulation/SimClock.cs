using Microsoft.Extensions.Time.Testing;

namespace WorkloadCredentials.Tests.Simulation;

/// <summary>
/// The simulated week's clock: a <see cref="FakeTimeProvider"/> for the monotonic clock and the timers, plus a wall clock that can be
/// stepped apart from it (an NTP step either way), and a <see cref="Suspend"/> in which both clocks jump and no timer runs until the
/// machine wakes. The world (STS, IMDS) lives on <see cref="TrueNow"/>: a stepped host clock does not move the service's clock.
/// </summary>
internal sealed class SimClock : TimeProvider
{
    private readonly List<SimTimer> _missed = [];
    private readonly List<SimTimer> _timers = [];
    private bool _suspended;

    public SimClock(DateTimeOffset start)
    {
        Start = start;
        Inner = new FakeTimeProvider(start);
    }

    public FakeTimeProvider Inner { get; }

    public DateTimeOffset Start { get; }

    /// <summary>Gets how long the machine has slept in all (<see cref="Suspend"/>): a caller asleep does not wait.</summary>
    public TimeSpan Slept { get; private set; }

    /// <summary>Gets how far the host's wall clock is from the true time.</summary>
    public TimeSpan WallOffset { get; private set; }

    /// <summary>Gets the true time (the services' clock).</summary>
    public DateTimeOffset TrueNow => Inner.GetUtcNow();

    /// <summary>Gets the simulated time elapsed since the start.</summary>
    public TimeSpan Elapsed => Inner.GetUtcNow() - Start;

    public override DateTimeOffset GetUtcNow() => Inner.GetUtcNow() + WallOffset;

    public override long GetTimestamp() => Inner.GetTimestamp();

    public override long TimestampFrequency => Inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SimTimer(this, callback, state);
        timer.Schedule(dueTime, period);
        _timers.Add(timer);
        timer.Attach(Inner.CreateTimer(static s => ((SimTimer)s!).Fire(), timer, dueTime, period));
        return timer;
    }

    /// <summary>
    /// Moves both clocks forward, stopping at each one-shot timer's due time (retry delays, timeouts): <see cref="FakeTimeProvider.Advance"/>
    /// alone fires every timer that came due at the end of the advance, with the clock already there (a 0.5 s retry delay inside a
    /// 5 s step would see 5 s). Periodic timers (the caches' 1 s heartbeats) fire at the stops, as they would a few hundred
    /// milliseconds late on a busy machine: stopping every second would triple the run time for nothing the callers (who call at
    /// each step) could see.
    /// </summary>
    public void Advance(TimeSpan delta)
    {
        TimeSpan target = Elapsed + delta;
        while (true)
        {
            _timers.RemoveAll(static t => t.Disposed);
            TimeSpan next = TimeSpan.MaxValue;
            foreach (SimTimer timer in _timers)
            {
                if (timer.OneShot && timer.NextDue < next)
                {
                    next = timer.NextDue;
                }
            }

            if (next > target)
            {
                break;
            }

            Inner.Advance(next > Elapsed ? next - Elapsed : TimeSpan.Zero);
        }

        if (target > Elapsed)
        {
            Inner.Advance(target - Elapsed);
        }
    }

    /// <summary>Steps the host's wall clock only (the monotonic clock and the timers do not see it).</summary>
    public void StepWall(TimeSpan delta) => WallOffset += delta;

    /// <summary>
    /// A system suspend: both clocks jump by <paramref name="duration"/> and no timer runs meanwhile; on waking, each timer that came
    /// due fires once.
    /// </summary>
    public void Suspend(TimeSpan duration)
    {
        _suspended = true;
        Slept += duration;
        try
        {
            Inner.Advance(duration);
        }
        finally
        {
            _suspended = false;
        }

        SimTimer[] missed = [.. _missed];
        _missed.Clear();
        foreach (SimTimer timer in missed)
        {
            timer.Invoke();
        }
    }

    private sealed class SimTimer(SimClock clock, TimerCallback callback, object? state) : ITimer
    {
        private ITimer? _inner;
        private TimeSpan _period;

        public bool Disposed { get; private set; }

        public bool OneShot => _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero;

        /// <summary>Gets when the timer fires next (simulated time since the start), or <see cref="TimeSpan.MaxValue"/>.</summary>
        public TimeSpan NextDue { get; private set; } = TimeSpan.MaxValue;

        public void Attach(ITimer inner) => _inner = inner;

        public void Schedule(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            NextDue = dueTime == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : clock.Elapsed + dueTime;
        }

        public void Fire()
        {
            // As the fake provider reschedules it: a period after now, or never.
            NextDue = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? TimeSpan.MaxValue : clock.Elapsed + _period;
            if (clock._suspended)
            {
                if (!clock._missed.Contains(this))
                {
                    clock._missed.Add(this);
                }

                return;
            }

            Invoke();
        }

        public void Invoke()
        {
            if (!Disposed)
            {
                callback(state);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Schedule(dueTime, period);
            return _inner!.Change(dueTime, period);
        }

        public void Dispose()
        {
            Disposed = true;
            NextDue = TimeSpan.MaxValue;
            _inner!.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
