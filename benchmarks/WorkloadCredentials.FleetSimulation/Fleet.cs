using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.FleetSimulation;

/// <summary>The policies compared: ours (the real cache) and two models of the anchors' schedules.</summary>
internal enum Policy
{
    Ours,
    DotnetSdk,
    Botocore,
}

/// <summary>
/// Runs every pod of a plan under one policy. Pods share nothing but STS, so each runs alone on its own fake clock (two at a time on
/// two cores) and their calls are added up by simulated second.
/// </summary>
internal static class Fleet
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The real cache's heartbeat period in the simulation (1 s in production): the granularity of its refresh points. 5 s keeps 10,000
    /// pods x 48 h within the time budget and moves no refresh by more than 5 s.
    /// </summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    /// <summary>The anchors' pre-emption: refresh 15 minutes before expiry (botocore's advisory window; its 10-minute mandatory
    /// window only decides whether callers wait, not when STS is called).</summary>
    private static readonly TimeSpan AnchorPreemption = TimeSpan.FromMinutes(15);

    public static CallLog Run(FleetPlan plan, Policy policy)
    {
        var total = new CallLog(plan.Seconds);
        var gate = new object();
        Parallel.For(
            0,
            plan.Pods,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new CallLog(plan.Seconds),
            (pod, _, log) =>
            {
                if (policy == Policy.Ours)
                {
                    RunOurs(plan, pod, log);
                }
                else
                {
                    RunAnchor(plan, pod, log);
                }

                return log;
            },
            log =>
            {
                lock (gate)
                {
                    total.Add(log);
                }
            });
        return total;
    }

    /// <summary>One pod on the real <see cref="RefreshingCredentialCache"/>: its heartbeat refreshes, its application calls every 10 s.</summary>
    private static void RunOurs(FleetPlan plan, int pod, CallLog log)
    {
        TimeSpan at = plan.StartOf(pod);
        TimeSpan restart = plan.RestartOf(pod);
        var time = new FakeTimeProvider(Epoch + at);
        Random random = plan.PodRandom(pod, 2);
        var sts = new FakeSts(plan, time, log);
        RefreshingCredentialCache cache = Start(sts, time, random);
        TimeSpan nextCall = at + FleetPlan.CallInterval;
        bool restarted = false;
        while (at < plan.Duration)
        {
            TimeSpan step = Heartbeat;
            if (!restarted && at + step >= restart)
            {
                time.Advance(restart - at);
                at = restart;
                cache.Dispose();
                sts.Restart();
                cache = Start(sts, time, random);
                nextCall = at + FleetPlan.CallInterval;
                restarted = true;
                continue;
            }

            time.Advance(step);
            at += step;
            if (at >= nextCall)
            {
                Call(cache);
                nextCall += FleetPlan.CallInterval;
            }
        }

        cache.Dispose();
    }

    private static RefreshingCredentialCache Start(FakeSts sts, FakeTimeProvider time, Random random)
    {
        // Refreshes run inline (as in the cache's tests) so that the fake clock's order is the order of events.
        var cache = new RefreshingCredentialCache(sts, new CredentialCacheOptions(), time, CredentialTelemetry.Null, random.NextDouble, static refresh => refresh(), Heartbeat);
        Call(cache);
        return cache;
    }

    private static void Call(RefreshingCredentialCache cache)
    {
        ValueTask<AwsCredentials> call = cache.GetCredentialsAsync();
        if (!call.IsCompleted)
        {
            throw new InvalidOperationException("A refresh did not run inline: the simulation would lose the order of events.");
        }

        try
        {
            _ = call.Result;
        }
        catch (AwsCredentialException)
        {
            // Nothing cached and STS down: the application sees the error and asks again at its next call.
        }
    }

    /// <summary>
    /// One pod under an anchor's schedule: no background refresh; an application call at or after expiry - 15 min calls STS, and a failed
    /// call leaves the next application call to try again. The AWS SDK for .NET and botocore both behave so; without jitter they call
    /// STS at the same moments, and differ only in whether their callers wait.
    /// </summary>
    private static void RunAnchor(FleetPlan plan, int pod, CallLog log)
    {
        TimeSpan at = plan.StartOf(pod);
        TimeSpan restart = plan.RestartOf(pod);
        TimeSpan? expiry = null;
        bool restarted = false;
        while (at < plan.Duration)
        {
            if (!restarted && at >= restart)
            {
                at = restart;
                expiry = null;
                restarted = true;
            }

            if (expiry is not { } until || at >= until - AnchorPreemption)
            {
                log.Record(at, cold: expiry is null);
                if (!plan.InOutage(at))
                {
                    expiry = at + plan.Lifetime;
                }
            }

            at += FleetPlan.CallInterval;
        }
    }
}
