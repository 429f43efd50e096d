using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using WorkloadCredentials.Caching;

namespace WorkloadCredentials.Benchmarks;

/// <summary>
/// The latency callers see while a refresh is under way and the source takes 2 s to answer: 64 tasks get credentials in a loop,
/// from ours (the public cache over a source whose first credentials enter the refresh window 300 ms later, so a call starts a
/// refresh) and from AWSSDK.Core's <see cref="RefreshingAWSCredentials"/> in the same state (its 15-minute pre-emption). Every call
/// that starts while the refresh runs is timed; the slowest one is the figure (goal for ours: under 1 ms). Each task waits 1 ms
/// between calls (requests arriving, not a spin), so the figure is what a call costs rather than how long the OS left a spinning
/// thread off the CPU; samples go into arrays allocated before the run, so no collection runs while calls are timed.
/// Run: <c>dotnet run -c Release --project benchmarks/WorkloadCredentials.Benchmarks -- refresh-latency</c>.
/// </summary>
internal static class RefreshLatency
{
    private const int Tasks = 64;
    private const int Capacity = 1 << 14;
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public static int Run()
    {
        Console.WriteLine($"Callers: {Tasks} tasks on {Environment.ProcessorCount} cores; the refresh takes {SlowAnswer.TotalSeconds} s.");
        int failures = 0;
        for (int round = 1; round <= 3; round++)
        {
            var ourSource = new SlowSecondSource();
            using ICachedAwsCredentialSource cache = AwsCredentialSources.Cache(
                ourSource, new CredentialCacheOptions { RefreshBeforeExpiry = Window, RefreshJitter = 0 });
            _ = cache.GetCredentialsAsync().AsTask().GetAwaiter().GetResult();
            Result ours = Measure(async () => (await cache.GetCredentialsAsync().ConfigureAwait(false)).AccessKeyId, ourSource.Refresh);

            var sdk = new SlowSecondSdkCredentials();
            _ = sdk.GetCredentials();
            Result theirs = Measure(async () => (await sdk.GetCredentialsAsync().ConfigureAwait(false)).AccessKey, sdk.Refresh);

            Print(round, "ours", ours);
            Print(round, "aws-sdk", theirs);
            failures += ours.Calls == 0 || theirs.Calls == 0 ? 1 : 0;
        }

        return failures == 0 ? 0 : 1;
    }

    private static void Print(int round, string name, Result result) => Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"round {round} {name,-8}: {result.Calls,7} calls during the refresh, p50 {result.P50Ms,9:F4} ms, p99 {result.P99Ms,9:F4} ms, slowest {result.MaxMs,9:F4} ms ({result.SlowestAfterStartMs,6:F0} ms into the refresh), {result.AtLeast1Ms} calls of 1 ms or more"));

    private static Result Measure(Func<Task<string>> get, RefreshProbe probe)
    {
        using var stop = new CancellationTokenSource();
        var starts = new long[Tasks][];
        var elapsed = new long[Tasks][];
        var counts = new int[Tasks];
        var tasks = new Task[Tasks];
        GC.Collect();
        GC.WaitForPendingFinalizers();
        for (int t = 0; t < Tasks; t++)
        {
            int task = t;
            starts[task] = new long[Capacity];
            elapsed[task] = new long[Capacity];
            tasks[task] = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested && counts[task] < Capacity)
                {
                    long start = Stopwatch.GetTimestamp();
                    _ = await get().ConfigureAwait(false);
                    starts[task][counts[task]] = start;
                    elapsed[task][counts[task]++] = Stopwatch.GetTimestamp() - start;
                    await Task.Delay(1).ConfigureAwait(false);
                }
            });
        }

        if (!probe.Finished.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException("The refresh did not finish within 30 s.");
        }

        stop.Cancel();
        Task.WaitAll(tasks);
        long from = probe.StartedAt;
        long to = probe.FinishedAt;
        var during = new List<double>();
        double slowestAfterStartMs = 0;
        long slowest = -1;
        for (int t = 0; t < Tasks; t++)
        {
            for (int i = 0; i < counts[t]; i++)
            {
                if (starts[t][i] >= from && starts[t][i] < to)
                {
                    during.Add(elapsed[t][i] * 1000.0 / Stopwatch.Frequency);
                    if (elapsed[t][i] > slowest)
                    {
                        slowest = elapsed[t][i];
                        slowestAfterStartMs = (starts[t][i] - from) * 1000.0 / Stopwatch.Frequency;
                    }
                }
            }
        }

        during.Sort();
        return during.Count == 0
            ? new Result(0, double.NaN, double.NaN, double.NaN, 0, double.NaN)
            : new Result(during.Count, during[during.Count / 2], during[(int)(during.Count * 0.99)], during[^1], during.Count(ms => ms >= 1.0), slowestAfterStartMs);
    }

    private sealed record Result(int Calls, double P50Ms, double P99Ms, double MaxMs, int AtLeast1Ms, double SlowestAfterStartMs);

    /// <summary>When the slow (second) answer started and ended.</summary>
    private sealed class RefreshProbe
    {
        public long StartedAt { get; private set; } = long.MaxValue;

        public long FinishedAt { get; private set; }

        public ManualResetEventSlim Finished { get; } = new();

        public void Start() => StartedAt = Stopwatch.GetTimestamp();

        public void Finish()
        {
            FinishedAt = Stopwatch.GetTimestamp();
            Finished.Set();
        }
    }

    /// <summary>Answers at once with credentials entering the 15-minute refresh window 300 ms later, then takes 2 s to answer with an hour.</summary>
    private sealed class SlowSecondSource : IAwsCredentialSource
    {
        private int _calls;

        public RefreshProbe Refresh { get; } = new();

        public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                return new AwsCredentials("ASIAFIRST", "secret", "token", DateTimeOffset.UtcNow.Add(Window).AddMilliseconds(300), "Slow");
            }

            Refresh.Start();
            await Task.Delay(SlowAnswer, cancellationToken).ConfigureAwait(false);
            Refresh.Finish();
            return new AwsCredentials("ASIASECOND", "secret", "token", DateTimeOffset.UtcNow.AddHours(1), "Slow");
        }
    }

    /// <summary>The AWS SDK's refreshing provider, its first credentials entering its 15-minute pre-emption 300 ms later; then a 2 s refresh.</summary>
    private sealed class SlowSecondSdkCredentials : RefreshingAWSCredentials
    {
        private int _calls;

        public SlowSecondSdkCredentials() => PreemptExpiryTime = Window;

        public RefreshProbe Refresh { get; } = new();

        protected override CredentialsRefreshState GenerateNewCredentials() =>
            GenerateNewCredentialsAsync().GetAwaiter().GetResult();

        protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                return new CredentialsRefreshState(new ImmutableCredentials("ASIAFIRST", "secret", "token"), DateTime.UtcNow.Add(Window).AddMilliseconds(300));
            }

            Refresh.Start();
            await Task.Delay(SlowAnswer).ConfigureAwait(false);
            Refresh.Finish();
            return new CredentialsRefreshState(new ImmutableCredentials("ASIASECOND", "secret", "token"), DateTime.UtcNow.AddHours(1));
        }
    }
}
