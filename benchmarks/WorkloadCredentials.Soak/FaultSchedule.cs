namespace WorkloadCredentials.Soak;

/// <summary>
/// The seeded fault schedule: back-to-back phases, each healthy (30 %) or one of the five faults (14 % each), of 10-90 s (in runs
/// shorter than 6 minutes, of a sixth to the whole of a quarter of the run, so that a 2-minute run still changes mode often: 5-30 s).
/// The same seed and length give the same schedule. Time 0 is when the app has its first credentials (the first fetch always
/// meets a healthy proxy).
/// </summary>
internal sealed class FaultSchedule
{
    private static readonly TimeSpan LongestPhase = TimeSpan.FromSeconds(90);
    private const double HealthyShare = 0.3;

    private readonly List<(TimeSpan Start, FaultMode Mode)> _phases = [];

    public FaultSchedule(int seed, TimeSpan length)
    {
        MaxPhase = length / 4 < LongestPhase ? length / 4 : LongestPhase;
        MinPhase = MaxPhase / 6 < TimeSpan.FromSeconds(10) ? MaxPhase / 6 : TimeSpan.FromSeconds(10);
        var random = new Random(seed);
        FaultMode[] faults = [FaultMode.Throttling, FaultMode.ServerError, FaultMode.Hanging, FaultMode.Refused, FaultMode.Reset];
        TimeSpan at = TimeSpan.Zero;
        while (at < length)
        {
            FaultMode mode = random.NextDouble() < HealthyShare ? FaultMode.Healthy : faults[random.Next(faults.Length)];
            _phases.Add((at, mode));
            at += MinPhase + ((MaxPhase - MinPhase) * random.NextDouble());
        }
    }

    public TimeSpan MinPhase { get; }

    public TimeSpan MaxPhase { get; }

    public IReadOnlyList<(TimeSpan Start, FaultMode Mode)> Phases => _phases;

    public FaultMode At(TimeSpan elapsed)
    {
        FaultMode mode = FaultMode.Healthy;
        foreach ((TimeSpan start, FaultMode m) in _phases)
        {
            if (start > elapsed)
            {
                break;
            }

            mode = m;
        }

        return mode;
    }
}
