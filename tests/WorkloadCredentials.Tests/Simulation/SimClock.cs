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
    private bool _suspended;

    public SimClock(DateTimeOffset start)
    {
        Start = start;
        Inner = new FakeTimeProvider(start);
    }

    public FakeTimeProvider Inner { get; }

    public DateTimeOffset Start { get; }

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
        timer.Attach(Inner.CreateTimer(static s => ((SimTimer)s!).Fire(), timer, dueTime, period));
        return timer;
    }

    /// <summary>Moves both clocks forward, firing each timer at its due time.</summary>
    public void Advance(TimeSpan delta) => Inner.Advance(delta);

    /// <summary>Steps the host's wall clock only (the monotonic clock and the timers do not see it).</summary>
    public void StepWall(TimeSpan delta) => WallOffset += delta;

    /// <summary>
    /// A system suspend: both clocks jump by <paramref name="duration"/> and no timer runs meanwhile; on waking, each timer that came
    /// due fires once.
    /// </summary>
    public void Suspend(TimeSpan duration)
    {
        _suspended = true;
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
        private bool _disposed;

        public void Attach(ITimer inner) => _inner = inner;

        public void Fire()
        {
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
            if (!_disposed)
            {
                callback(state);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => _inner!.Change(dueTime, period);

        public void Dispose()
        {
            _disposed = true;
            _inner!.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
