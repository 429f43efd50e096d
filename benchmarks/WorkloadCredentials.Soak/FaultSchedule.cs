namespace WorkloadCredentials.Soak;

/// <summary>
/// The seeded fault schedule: back-to-back phases of 10-90 s, each healthy (30 %) or one of the five faults (14 % each). The same
/// seed gives the same schedule. Time 0 is when the app has its first credentials (the first fetch always meets a healthy proxy).
/// </summary>
internal sealed class FaultSchedule
{
    public static readonly TimeSpan MinPhase = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxPhase = TimeSpan.FromSeconds(90);
    private const double HealthyShare = 0.3;

    private readonly List<(TimeSpan Start, FaultMode Mode)> _phases = [];

    public FaultSchedule(int seed, TimeSpan length)
    {
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
