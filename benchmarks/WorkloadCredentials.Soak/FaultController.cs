using System.Diagnostics;

namespace WorkloadCredentials.Soak;

/// <summary>
/// Applies the seeded schedule to the fake and the proxy every 250 ms, except while the newest credentials handed out are within
/// <see cref="ProtectedTail"/> of their expiry: then the endpoints are healthy. The soak checks that the library serves cached
/// credentials through faults while they are valid; a fault that outlasts them fails requests with any library. The tail is the
/// library's mandatory window (1 minute) plus STS's total timeout per refresh (30 s): a refresh that starts before the tail ends
/// before expiry, and the library's retries (50-90 % of the remaining lifetime) always land one attempt inside it.
/// </summary>
internal sealed class FaultController
{
    public static readonly TimeSpan ProtectedTail = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly FaultSchedule _schedule;
    private readonly FakeAws _fake;
    private readonly FaultProxy _proxy;
    private readonly IssuedCredentials _issued;
    private readonly TimeSpan[] _timeIn = new TimeSpan[Enum.GetValues<FaultMode>().Length];
    private readonly object _lock = new();
    private FaultMode _applied = FaultMode.Healthy;
    private TimeSpan _protected;
    private int _transitions;

    public FaultController(FaultSchedule schedule, FakeAws fake, FaultProxy proxy, IssuedCredentials issued)
    {
        _schedule = schedule;
        _fake = fake;
        _proxy = proxy;
        _issued = issued;
    }

    public FaultMode Applied
    {
        get
        {
            lock (_lock)
            {
                return _applied;
            }
        }
    }

    /// <summary>Gets how long the endpoints spent in each mode (index: <see cref="FaultMode"/>), and how long a fault was held off.</summary>
    public (TimeSpan[] TimeIn, TimeSpan Protected, int Transitions) Totals()
    {
        lock (_lock)
        {
            return ((TimeSpan[])_timeIn.Clone(), _protected, _transitions);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan last = TimeSpan.Zero;
        using var timer = new PeriodicTimer(Tick);
        do
        {
            TimeSpan now = clock.Elapsed;
            FaultMode scheduled = _schedule.At(now);
            bool inTail = _issued.NewestExpiry - TimeProvider.System.GetUtcNow() < ProtectedTail;
            FaultMode mode = inTail ? FaultMode.Healthy : scheduled;
            lock (_lock)
            {
                _timeIn[(int)_applied] += now - last;
                _protected += inTail && scheduled != FaultMode.Healthy ? now - last : TimeSpan.Zero;
                if (mode != _applied)
                {
                    _transitions++;
                    _applied = mode;
                    _fake.Mode = mode;
                    _proxy.Apply(mode);
                }
            }

            last = now;
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).AsTask().ContinueWith(static t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));

        lock (_lock)
        {
            _applied = FaultMode.Healthy;
            _fake.Mode = FaultMode.Healthy;
            _proxy.Apply(FaultMode.Healthy);
        }
    }
}
