using System.Globalization;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.InstanceMetadata;
using WorkloadCredentials.Sts;

namespace WorkloadCredentials.Tests.Simulation;

/// <summary>
/// How many calls to STS (or IMDS) a week may take, derived from the refresh schedule:
/// <list type="bullet">
/// <item><description>Refreshes that succeed: at most one per <c>lifetime - advisory window</c> (the refresh point lies at or after the
/// start of the advisory window), plus the first fetch, plus one per clock event (a wall-clock step or its correction, the suspend) that
/// can bring a refresh forward; each costs at most 2 calls per operation (one rejected, as a rotated token or expired signing keys, then
/// one that succeeds).</description></item>
/// <item><description>Refreshes that fail, per spell of faults of length D: at most 12 + D / 45 s attempts (backoffs of 300-600 s or
/// 50-90 % of the time left before expiry, which halve at worst about 9 times down to the short schedule; then 1-2 s doubling to
/// 45-60 s, or the wide schedule of 1-10 min); each costs at most the operation's attempts (STS: 1 + 3 retries; IMDS: 3 requests of
/// 3 attempts each).</description></item>
/// </list>
/// The web identity + role shape has two caches (the role's and the inner web identity one), and the inner one can refresh once more
/// per role attempt (the role source invalidates it when STS rejects its keys).
/// </summary>
internal sealed record WeekBudget(int Calls, string Derivation)
{
    public static WeekBudget For(WeekFaultPlan plan, WeekShape shape)
    {
        bool sts = shape == WeekShape.WebIdentityThenAssumeRole;
        TimeSpan lifetime = sts ? WeekWorld.StsLifetime : WeekWorld.ImdsLifetime;
        TimeSpan cycle = lifetime - RefreshWindows.AdvisoryFor(lifetime, configured: null);
        int clockEvents = plan.Episodes.Count(static e => e.Kind == FaultKind.WallClockStep) * 2 + plan.Episodes.Count(static e => e.Kind == FaultKind.Suspend);
        int succeeding = (int)Math.Ceiling(WeekFaultPlan.Week / cycle) + 1 + clockEvents;

        int failing = 0;
        foreach ((TimeSpan start, TimeSpan end) in Spells(plan, sts))
        {
            failing += 12 + (int)Math.Ceiling((end - start).TotalSeconds / 45);
        }

        int attemptsPerFailure = sts ? StsConstants.DefaultMaxRetryAttempts + 1 : 3 * (ImdsConstants.DefaultMaxRetryAttempts + 1);
        int callsPerSuccess = sts ? 2 : 3;
        int perCache = (succeeding * callsPerSuccess) + (failing * attemptsPerFailure);
        int calls = sts ? (2 * perCache) + (failing * attemptsPerFailure) : perCache;
        string derivation = string.Create(
            CultureInfo.InvariantCulture,
            $"budget: cycle {cycle.TotalMinutes:F0} min -> {succeeding} succeeding refreshes x {callsPerSuccess} calls; {failing} failing attempts x {attemptsPerFailure} calls; {(sts ? "2 caches + inner refreshes on rejection" : "1 cache")} = {calls}");
        return new WeekBudget(calls, derivation);
    }

    private static IEnumerable<(TimeSpan Start, TimeSpan End)> Spells(WeekFaultPlan plan, bool sts)
    {
        TimeSpan start = TimeSpan.MinValue;
        TimeSpan end = TimeSpan.MinValue;
        foreach (FaultEpisode episode in plan.Episodes.Where(e => sts ? e.AffectsSts : e.AffectsImds))
        {
            if (episode.Start > end)
            {
                if (end > TimeSpan.MinValue)
                {
                    yield return (start, end);
                }

                start = episode.Start;
                end = episode.End;
            }
            else if (episode.End > end)
            {
                end = episode.End;
            }
        }

        if (end > TimeSpan.MinValue)
        {
            yield return (start, end);
        }
    }
}
