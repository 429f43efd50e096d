namespace WorkloadCredentials.FleetSimulation;

/// <summary>One run's timeline: the deploy, the STS outage and the rolling restart, the same for every policy.</summary>
internal sealed record FleetPlan(int Pods, TimeSpan Lifetime, TimeSpan Duration, int Seed)
{
    /// <summary>All pods start within this window (a deploy).</summary>
    public static readonly TimeSpan DeployWindow = TimeSpan.FromMinutes(1);

    /// <summary>How often each pod's application asks its cache for credentials.</summary>
    public static readonly TimeSpan CallInterval = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan OutageLength = TimeSpan.FromMinutes(30);

    /// <summary>The rolling restart replaces every pod, one after the other, within this window.</summary>
    public static readonly TimeSpan RestartWindow = TimeSpan.FromMinutes(10);

    /// <summary>Gets when STS starts failing: a third of the way in. The time before it is the undisturbed window.</summary>
    public TimeSpan OutageStart => Duration / 3;

    public TimeSpan OutageEnd => OutageStart + OutageLength;

    /// <summary>Gets when the rolling restart begins: two thirds of the way in.</summary>
    public TimeSpan RestartStart => Duration * 2 / 3;

    public int Seconds => (int)Duration.TotalSeconds;

    public bool InOutage(TimeSpan at) => at >= OutageStart && at < OutageEnd;

    /// <summary>A pod's own random numbers: the same pod gets the same start and restart under every policy.</summary>
    public Random PodRandom(int pod, int stream) => new(unchecked((Seed * 1_000_003) + (pod * 7) + stream));

    public TimeSpan StartOf(int pod) => DeployWindow * PodRandom(pod, 0).NextDouble();

    public TimeSpan RestartOf(int pod) => RestartStart + (RestartWindow * ((pod + PodRandom(pod, 1).NextDouble()) / Pods));
}
