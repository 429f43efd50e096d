using System.Globalization;
using System.Text;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.Simulation;

/// <summary>
/// Runs one simulated week: the default chain of a <see cref="WeekShape"/> behind the refresh cache, on a <see cref="SimClock"/>,
/// against a <see cref="WeekWorld"/> that injects the faults of a <see cref="WeekFaultPlan"/>. 1,000 logical callers: every 5 simulated
/// seconds a step of 60-100 calls, and bursts of 1,000 concurrent calls at random points. Everything runs on the calling thread: the
/// caches start their refreshes inline (<see cref="CredentialSourceContext.StartRefresh"/>), the fakes answer synchronously or hang until
/// the client's timeout fires on the fake clock, and every jitter draws from one seeded generator
/// (<see cref="CredentialSourceContext.Random"/>), so a seed replays exactly.
/// </summary>
internal static class WeekSimulation
{
    /// <summary>The callers' step.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long expired credentials may still be served once the services are healthy again: the wide retry's cap after a persistent
    /// failure (<see cref="RefreshRetrySchedule.WideCap"/>, 10 min), plus one callers' step, plus a minute for the refresh itself
    /// (retries and timeouts within it). 665 s.
    /// </summary>
    public static readonly TimeSpan RetryAllowance = RefreshRetrySchedule.WideCap + Step + TimeSpan.FromMinutes(1);

    /// <summary>
    /// After how long a healthy spell a failed call counts as a failure while credentials could be had: one refresh's whole budget
    /// (<see cref="CredentialCacheOptions.RefreshTimeout"/>'s default, 2 min): a refresh started during the fault may end after it.
    /// </summary>
    public static readonly TimeSpan HealthyForAFetch = CachingConstants.DefaultRefreshTimeout;

    /// <summary>The longest a caller may wait: one refresh's budget (the cache's guarantee).</summary>
    public static readonly TimeSpan WaitBound = CachingConstants.DefaultRefreshTimeout;

    private const int LogicalCallers = 1000;
    private const int Bursts = 40;
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Runs the week on a thread-pool thread: no synchronization context and the default task scheduler (a test runner's context would
    /// make every continuation of the library's <c>ConfigureAwait(false)</c> awaits hop to the thread pool instead of running inline).
    /// </summary>
    public static WeekResult Run(int seed, WeekShape shape) => Task.Run(() => Simulate(seed, shape)).GetAwaiter().GetResult();

    private static WeekResult Simulate(int seed, WeekShape shape)
    {
        WeekFaultPlan plan = WeekFaultPlan.Create(seed);
        var clock = new SimClock(Monday);
        using var temp = new TempDirectory();
        var world = new WeekWorld(clock, plan, seed, Path.Combine(temp.Path, "token"));
        var jitter = new Random(unchecked((seed * 31) + (int)shape));
        CredentialSourceContext context = new(Options(shape), Environment(shape, Path.Combine(temp.Path, "token")), clock, new WeekTraceLogger(world), httpHandler: world)
        {
            ConnectCallback = NetworkSafety.LoopbackConnectAsync,
            Random = jitter.NextDouble,
            StartRefresh = static refresh => refresh(),
        };

        using RefreshingCredentialCache cache = AwsCredentialSources.CreateDefault(context);
        var run = new Callers(shape, clock, world, cache);
        var callers = new Random(unchecked((seed * 131) + 7));
        var bursts = new SortedSet<long>();
        while (bursts.Count < Bursts)
        {
            bursts.Add((long)(callers.NextDouble() * WeekFaultPlan.Week.TotalSeconds / Step.TotalSeconds));
        }

        List<(TimeSpan At, Action Act)> actions = Actions(plan, clock, world);
        int nextAction = 0;
        long step = 0;
        while (clock.Elapsed < WeekFaultPlan.Week)
        {
            run.Calls(callers.Next(60, 101) + (bursts.Contains(step) ? LogicalCallers : 0), callers);
            TimeSpan next = clock.Elapsed + Step;
            while (nextAction < actions.Count && actions[nextAction].At <= next)
            {
                if (actions[nextAction].At > clock.Elapsed)
                {
                    run.Quiesce();
                    clock.Advance(actions[nextAction].At - clock.Elapsed);
                }

                actions[nextAction++].Act();
            }

            if (clock.Elapsed < next)
            {
                run.Quiesce();
                clock.Advance(next - clock.Elapsed);
            }

            run.Collect();
            step++;
        }

        // Let the calls still waiting finish (their refresh ends within its budget).
        run.Quiesce();
        clock.Advance(WaitBound + Step);
        run.Collect();
        return run.Result(plan, seed);
    }

    private static WorkloadCredentialsOptions Options(WeekShape shape)
    {
        var options = new WorkloadCredentialsOptions { Region = "eu-west-1" };
        options.Sts.EndpointUrl = WeekWorld.StsEndpoint;
        if (shape == WeekShape.WebIdentityThenAssumeRole)
        {
            options.AssumeRole.RoleArn = WeekWorld.TargetRoleArn;
            options.AssumeRole.ExternalId = WeekWorld.ExternalId;
        }

        return options;
    }

    private static TestEnvironment Environment(WeekShape shape, string tokenFile)
    {
        var environment = new TestEnvironment();
        if (shape == WeekShape.WebIdentityThenAssumeRole)
        {
            environment["AWS_ROLE_ARN"] = WeekWorld.WebRoleArn;
            environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile;
        }
        else
        {
            environment["AWS_EC2_METADATA_DISABLED"] = "false";
            environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = WeekWorld.ImdsEndpoint;
        }

        return environment;
    }

    /// <summary>The instant events of the plan: token rotations, wall-clock steps (and their correction), the suspend.</summary>
    private static List<(TimeSpan At, Action Act)> Actions(WeekFaultPlan plan, SimClock clock, WeekWorld world)
    {
        var actions = new List<(TimeSpan At, Action Act)>();
        foreach (FaultEpisode episode in plan.Episodes)
        {
            switch (episode.Kind)
            {
                case FaultKind.TokenRotation:
                    actions.Add((episode.Start, world.RotateToken));
                    break;
                case FaultKind.WallClockStep:
                    actions.Add((episode.Start, () =>
                    {
                        world.Note("wall clock stepped " + episode.Step.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s");
                        clock.StepWall(episode.Step);
                    }));
                    actions.Add((episode.End, () =>
                    {
                        world.Note("wall clock corrected");
                        clock.StepWall(-episode.Step);
                    }));
                    break;
                case FaultKind.Suspend:
                    actions.Add((episode.Start, () =>
                    {
                        world.Note("suspend " + episode.Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s");
                        clock.Suspend(episode.Duration);
                        world.Note("resumed");
                    }));
                    break;
            }
        }

        actions.Sort(static (a, b) => a.At.CompareTo(b.At));
        return actions;
    }

    /// <summary>The callers of one run and what they observed.</summary>
    private sealed class Callers(WeekShape shape, SimClock clock, WeekWorld world, RefreshingCredentialCache cache)
    {
        private readonly List<Waiting> _waiting = [];
        private readonly Dictionary<Task, RefreshTiming> _refreshes = [];
        private readonly List<string> _violations = [];
        private readonly bool _sts = shape == WeekShape.WebIdentityThenAssumeRole;
        private readonly string _service = shape == WeekShape.WebIdentityThenAssumeRole ? "role" : "imds";
        private AwsCredentials? _lastServed;
        private IssuedKey? _lastKey;
        private long _calls;
        private long _failed;
        private long _expiredServed;
        private TimeSpan _maxExpiredWhileHealthy;
        private TimeSpan _maxWait;
        private TimeSpan _maxPastTrueExpiry;
        private long _waited;
        private TimeSpan _lastFailureNoted = TimeSpan.MinValue;
        private TimeSpan? _firstViolationAt;

        public void Calls(int count, Random callers)
        {
            TimeSpan now = clock.Elapsed;
            for (int i = 0; i < count; i++)
            {
                _ = callers.Next(LogicalCallers); // which logical caller: they all share the one cache
                _calls++;
                ValueTask<AwsCredentials> call = cache.GetCredentialsAsync(CancellationToken.None);
                if (call.IsCompletedSuccessfully)
                {
                    Served(call.Result, now);
                    continue;
                }

                Task<AwsCredentials> task = call.AsTask();
                // The caller waits for the refresh under way (single flight; refreshes start inline, so it is the pending one). Its
                // end is timed on the refresh itself: the callers awaiting one task resume on the thread pool (all but the first:
                // the runtime forces them asynchronous), possibly after the clock moved on.
                Task refresh = cache.PendingRefresh;
                var waiting = new Waiting(now, task, refresh.IsCompleted ? null : RefreshEnd(refresh), clock.Slept);
                _waiting.Add(waiting);
                continue;

            }

            Collect();
        }

        /// <summary>Waits (in real time, briefly) until every caller whose refresh has ended has resumed: the clock must not move meanwhile.</summary>
        public void Quiesce()
        {
            long started = System.Environment.TickCount64;
            foreach (Waiting waiting in _waiting)
            {
                var spin = default(SpinWait);
                while (!waiting.Task.IsCompleted && (waiting.Refresh is null || waiting.Refresh.EndedAt is not null))
                {
                    if (System.Environment.TickCount64 - started > 30_000)
                    {
                        throw new TimeoutException("A caller whose refresh ended did not resume within 30 s of real time.");
                    }

                    spin.SpinOnce();
                }
            }
        }

        private RefreshTiming RefreshEnd(Task refresh)
        {
            if (!_refreshes.TryGetValue(refresh, out RefreshTiming? timing))
            {
                timing = new RefreshTiming(clock, world);
                _refreshes[refresh] = timing;

                // Runs inline where the refresh ends: on this thread, inside the clock's advance, so the time is exact.
                _ = refresh.ContinueWith(static (_, state) => ((RefreshTiming)state!).Ended(), timing, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return timing;
        }

        public void Collect()
        {
            Quiesce();
            int kept = 0;
            for (int i = 0; i < _waiting.Count; i++)
            {
                Waiting waiting = _waiting[i];
                if (!waiting.Task.IsCompleted)
                {
                    _waiting[kept++] = waiting;
                    continue;
                }

                TimeSpan ended = waiting.Refresh?.EndedAt ?? waiting.Started;

                // Time the machine slept during the wait is not waiting: the caller slept too.
                TimeSpan wait = ended - waiting.Started - ((waiting.Refresh?.SleptAtEnd ?? waiting.SleptAtStart) - waiting.SleptAtStart);
                _waited++;
                if (wait > _maxWait)
                {
                    _maxWait = wait;
                    world.Note(string.Create(CultureInfo.InvariantCulture, $"longest wait so far {wait.TotalSeconds:F3} s (from {waiting.Started.TotalSeconds:F0})"));
                }

                if (wait > WaitBound)
                {
                    Violation(ended, $"a caller waited {wait.TotalSeconds:F1} s (bound {WaitBound.TotalSeconds:F0} s)");
                }

                if (waiting.Task.IsCompletedSuccessfully)
                {
                    Served(waiting.Task.Result, ended);
                }
                else
                {
                    Failed(waiting.Task.Exception?.InnerException, ended);
                }
            }

            _waiting.RemoveRange(kept, _waiting.Count - kept);
        }

        public WeekResult Result(WeekFaultPlan plan, int seed)
        {
            foreach (Waiting waiting in _waiting)
            {
                Violation(clock.Elapsed, $"a call made at {waiting.Started.TotalSeconds:F0} s never ended");
            }

            return new WeekResult(
                seed,
                shape,
                plan,
                _calls,
                _failed,
                _expiredServed,
                _maxExpiredWhileHealthy,
                _maxPastTrueExpiry,
                _maxWait,
                _waited,
                world.StsCalls,
                world.ImdsCalls,
                world.SignedWithExpiredKeys,
                world.OffThread,
                world.FaultyAnswers,
                world.Rejected,
                WeekBudget.For(plan, shape),
                _violations,
                world.Trace,
                _firstViolationAt);
        }

        private void Served(AwsCredentials credentials, TimeSpan at)
        {
            if (!ReferenceEquals(credentials, _lastServed))
            {
                _lastServed = credentials;
                _lastKey = world.Key(credentials.AccessKeyId);
                if (_lastKey is null || _lastKey.Service != _service)
                {
                    Violation(at, $"served {credentials.AccessKeyId} from {credentials.SourceName}, which the {_service} service did not issue");
                }
            }

            if (_lastKey is { } key && key.ExpiresAt <= at)
            {
                _expiredServed++;
                TimeSpan healthySince = world.HealthySince(at, _sts);
                // From when the host could know: a wall clock behind the true time at the fetch delays what it sees as expiry.
                TimeSpan since = healthySince > key.ExpiresForHost ? healthySince : key.ExpiresForHost;
                TimeSpan pastTrueExpiry = at - key.ExpiresAt;
                if (pastTrueExpiry > _maxPastTrueExpiry)
                {
                    _maxPastTrueExpiry = pastTrueExpiry;
                }

                TimeSpan expiredWhileHealthy = at - since;
                if (expiredWhileHealthy > _maxExpiredWhileHealthy)
                {
                    _maxExpiredWhileHealthy = expiredWhileHealthy;
                    world.Note(string.Create(CultureInfo.InvariantCulture, $"expired {credentials.AccessKeyId} served {expiredWhileHealthy.TotalSeconds:F0} s into a healthy spell"));
                }

                if (expiredWhileHealthy > RetryAllowance)
                {
                    Violation(at, $"served {credentials.AccessKeyId}, expired at {key.ExpiresAt.TotalSeconds:F0} s, {expiredWhileHealthy.TotalSeconds:F0} s after the services were healthy and it had expired (allowance {RetryAllowance.TotalSeconds:F0} s)");
                }
            }
        }

        private void Failed(Exception? error, TimeSpan at)
        {
            _failed++;
            string what = error is null ? "?" : error.GetType().Name + ": " + error.Message;
            if (at != _lastFailureNoted)
            {
                // One line per instant: a burst of 1,000 failed calls is one event.
                _lastFailureNoted = at;
                world.Note("call failed: " + what);
            }

            IssuedKey? cached = cache.LastCredentials is { } last ? world.Key(last.AccessKeyId) : null;
            if (cached is not null && cached.ExpiresAt > at)
            {
                Violation(at, $"a call failed while the cache held credentials valid until {cached.ExpiresAt.TotalSeconds:F0} s: {what}");
            }
            else if (at - world.HealthySince(at, _sts) >= HealthyForAFetch)
            {
                Violation(at, $"a call failed {(at - world.HealthySince(at, _sts)).TotalSeconds:F0} s into a healthy spell: {what}");
            }
        }

        private void Violation(TimeSpan at, string what)
        {
            if (_firstViolationAt is null)
            {
                _firstViolationAt = at;
                world.Note("VIOLATION " + what);
            }

            string line = string.Create(CultureInfo.InvariantCulture, $"at {FaultEpisode.Format(at)} ({at.TotalSeconds:F0} s): {what}");
            if (_violations.Count < 20 && (_violations.Count == 0 || _violations[^1] != line))
            {
                _violations.Add(line);
            }
        }
    }

    private sealed record Waiting(TimeSpan Started, Task<AwsCredentials> Task, RefreshTiming? Refresh, TimeSpan SleptAtStart);

    private sealed class RefreshTiming(SimClock clock, WeekWorld world)
    {
        public TimeSpan? EndedAt { get; private set; }

        public TimeSpan SleptAtEnd { get; private set; }

        public void Ended()
        {
            world.CheckThread("a refresh ended");
            EndedAt = clock.Elapsed;
            SleptAtEnd = clock.Slept;
        }
    }
}
