using System.Globalization;
using System.Text;

namespace WorkloadCredentials.Tests.Simulation;

/// <summary>
/// The faults of one simulated week, drawn from a seed (<see cref="Random"/>(seed)): the same seed gives the same plan, and
/// <see cref="ToString"/> prints it so that a failing seed explains itself.
/// </summary>
internal sealed class WeekFaultPlan
{
    public static readonly TimeSpan Week = TimeSpan.FromDays(7);

    private WeekFaultPlan(int seed, IReadOnlyList<FaultEpisode> episodes)
    {
        Seed = seed;
        Episodes = episodes;
    }

    public int Seed { get; }

    /// <summary>Gets the episodes in order of start.</summary>
    public IReadOnlyList<FaultEpisode> Episodes { get; }

    public static WeekFaultPlan Create(int seed)
    {
        var random = new Random(seed);
        var episodes = new List<FaultEpisode>();

        void Add(FaultKind kind, int count, TimeSpan min, TimeSpan max, bool partial = false)
        {
            for (int i = 0; i < count; i++)
            {
                TimeSpan duration = LogUniform(random, min, max);
                TimeSpan start = Uniform(random, TimeSpan.FromMinutes(1), Week - duration - TimeSpan.FromMinutes(1));
                double share = partial && random.NextDouble() < 0.5 ? 0.3 + (0.6 * random.NextDouble()) : 1;
                episodes.Add(new FaultEpisode(kind, Round(start), Round(duration), Math.Round(share, 2)));
            }
        }

        Add(FaultKind.StsThrottling, 6, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(40), partial: true);
        Add(FaultKind.StsServerError, 6, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(40), partial: true);
        Add(FaultKind.StsTimeout, 4, TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(30));
        Add(FaultKind.Outage, 4, TimeSpan.FromSeconds(5), TimeSpan.FromHours(6));

        // One long outage a week, longer than the longest refresh cycle (instance profile: 6 h credentials refreshed every 5-5.5 h),
        // so that every seed sees credentials expire while the services are down, in both shapes.
        Add(FaultKind.Outage, 1, TimeSpan.FromHours(5.5), TimeSpan.FromHours(9));
        Add(FaultKind.ImdsDown, 6, TimeSpan.FromSeconds(10), TimeSpan.FromHours(4));
        Add(FaultKind.ImdsHang, 4, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1));
        Add(FaultKind.Malformed, 3, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(15));

        // The kubelet rotates the projected token at 80 % of its 24 h life, give or take.
        for (TimeSpan at = Round(Uniform(random, TimeSpan.FromHours(2), TimeSpan.FromHours(20))); at < Week; at += Round(Uniform(random, TimeSpan.FromHours(18), TimeSpan.FromHours(21))))
        {
            episodes.Add(new FaultEpisode(FaultKind.TokenRotation, at, TimeSpan.Zero));
        }

        // Wall-clock steps: up to 40 minutes either way (less than a credential's life), corrected after 1 minute to 6 hours.
        for (int i = 0; i < 3; i++)
        {
            TimeSpan duration = Round(LogUniform(random, TimeSpan.FromMinutes(1), TimeSpan.FromHours(6)));
            TimeSpan start = Round(Uniform(random, TimeSpan.FromMinutes(1), Week - duration - TimeSpan.FromMinutes(1)));
            TimeSpan step = Round(LogUniform(random, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(40)));
            episodes.Add(new FaultEpisode(FaultKind.WallClockStep, start, duration, Step: random.NextDouble() < 0.5 ? -step : step));
        }

        TimeSpan sleep = Round(LogUniform(random, TimeSpan.FromMinutes(10), TimeSpan.FromHours(3)));
        episodes.Add(new FaultEpisode(FaultKind.Suspend, Round(Uniform(random, TimeSpan.FromHours(1), Week - sleep - TimeSpan.FromHours(1))), sleep));

        episodes.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Kind.CompareTo(b.Kind));
        return new WeekFaultPlan(seed, episodes);
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"week plan, seed {Seed}: {Episodes.Count} episodes").AppendLine();
        foreach (FaultEpisode episode in Episodes)
        {
            text.Append("  ").Append(episode).AppendLine();
        }

        return text.ToString();
    }

    private static TimeSpan Uniform(Random random, TimeSpan min, TimeSpan max) => min + ((max - min) * random.NextDouble());

    private static TimeSpan LogUniform(Random random, TimeSpan min, TimeSpan max) =>
        TimeSpan.FromSeconds(Math.Exp(Math.Log(min.TotalSeconds) + ((Math.Log(max.TotalSeconds) - Math.Log(min.TotalSeconds)) * random.NextDouble())));

    private static TimeSpan Round(TimeSpan span) => TimeSpan.FromSeconds(Math.Round(span.TotalSeconds));
}
