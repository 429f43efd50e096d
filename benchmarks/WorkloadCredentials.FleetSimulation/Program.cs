using System.Diagnostics;
using System.Globalization;
using WorkloadCredentials.FleetSimulation;

// Issue 14 item 1: STS calls of a fleet. Usage: dotnet run -c Release --project benchmarks/WorkloadCredentials.FleetSimulation [--pods N] [--hours H] [--seed S]
int pods = Option(args, "--pods", 10_000);
int hours = Option(args, "--hours", 48);
int seed = Option(args, "--seed", 14);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var clock = Stopwatch.StartNew();
Console.WriteLine($"Fleet simulation: {pods:N0} pods started within {FleetPlan.DeployWindow.TotalMinutes:0} min, {hours} simulated hours, application calls every {FleetPlan.CallInterval.TotalSeconds:0} s, seed {seed}.");
Console.WriteLine("Ours is the real RefreshingCredentialCache (heartbeat every 5 s) on one FakeTimeProvider per pod; the anchors are models without jitter.");
string? headline = null;
foreach (TimeSpan lifetime in new[] { TimeSpan.FromHours(1), TimeSpan.FromHours(6) })
{
    var plan = new FleetPlan(pods, lifetime, TimeSpan.FromHours(hours), seed);
    Console.WriteLine();
    Console.WriteLine($"## Credentials of {lifetime.TotalHours:0} h: STS outage {Clock(plan.OutageStart)}-{Clock(plan.OutageEnd)}, rolling restart {Clock(plan.RestartStart)}-{Clock(plan.RestartStart + FleetPlan.RestartWindow)}");
    Console.WriteLine("Undisturbed window 00:00 to the outage, the deploy included; refreshes only (each pod's cold-start fetch counted apart).");
    Console.WriteLine();
    Console.WriteLine("| policy | 1-min peak | 1-min mean | 1-min p99 | peak/mean (1 min) | 1-s peak | 1-s mean | 1-s p99 | peak/mean (1 s) | cold starts, peak minute | first minute after outage | vs steady peak | 1-s peak, 10 min after outage | restart hour, peak minute (all calls) | STS calls in all |");
    Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    var ratios = new Dictionary<Policy, double>();
    foreach (Policy policy in Enum.GetValues<Policy>())
    {
        CallLog log = Fleet.Run(plan, policy);
        int quiet = (int)plan.OutageStart.TotalSeconds;
        BucketStats minute = BucketStats.Of(log.Refreshes, 0, quiet, 60);
        BucketStats second = BucketStats.Of(log.Refreshes, 0, quiet, 1);
        BucketStats cold = BucketStats.Of(log.ColdStarts, 0, quiet, 60);
        int recoveryStart = (int)plan.OutageEnd.TotalSeconds;
        int herd = BucketStats.Sum(log.Refreshes, recoveryStart, recoveryStart + 60) + BucketStats.Sum(log.ColdStarts, recoveryStart, recoveryStart + 60);
        int restartStart = (int)plan.RestartStart.TotalSeconds;
        int[] all = log.Refreshes.Zip(log.ColdStarts, static (a, b) => a + b).ToArray();
        BucketStats recoverySeconds = BucketStats.Of(all, recoveryStart, Math.Min(plan.Seconds, recoveryStart + 600), 1);
        BucketStats restart = BucketStats.Of(all, restartStart, Math.Min(plan.Seconds, restartStart + 3600), 60);
        long calls = all.Sum(static c => (long)c);
        ratios[policy] = minute.PeakOverMean;
        Console.WriteLine($"| {Name(policy)} | {minute.Peak:N0} | {minute.Mean:N1} | {minute.P99:N0} | {minute.PeakOverMean:0.00} | {second.Peak:N0} | {second.Mean:N2} | {second.P99:N0} | {second.PeakOverMean:0.0} | {cold.Peak:N0} | {herd:N0} | {(double)herd / minute.Peak:0.00}x | {recoverySeconds.Peak:N0} | {restart.Peak:N0} | {calls:N0} |");
    }

    if (lifetime == TimeSpan.FromHours(1))
    {
        headline = $"peak/mean: ours {ratios[Policy.Ours]:0.00}, dotnet-sdk {ratios[Policy.DotnetSdk]:0.00}, botocore {ratios[Policy.Botocore]:0.00}";
    }
}

Console.WriteLine();
Console.WriteLine($"Simulated in {clock.Elapsed.TotalSeconds:0.0} s on {Environment.ProcessorCount} cores.");
Console.WriteLine(headline);

static string Name(Policy policy) => policy switch
{
    Policy.Ours => "ours",
    Policy.DotnetSdk => "dotnet-sdk",
    _ => "botocore",
};

static string Clock(TimeSpan at) => $"{(int)at.TotalHours:00}:{at.Minutes:00}";

static int Option(string[] args, string name, int fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
