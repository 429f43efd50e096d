using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.Caching;

/// <summary>What the cache does beyond the AWS SDKs' refresh spec.</summary>
public sealed class RefreshingCredentialCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetCredentialsAsync_AdvisoryWindow_CallerThatTriggersRefreshDoesNotWait()
    {
        var time = new FakeTimeProvider(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh };
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, new CredentialTelemetry(SecretScanLogging.Logger));
        AwsCredentials? cached = CredentialRefreshVectorTests.Seed(cache, time, "advisory", "AKID-CACHED");
        source.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        ValueTask<AwsCredentials> call = cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        // The fetch hangs, yet the caller that noticed the window has its answer synchronously: the cached credentials.
        Assert.True(call.IsCompletedSuccessfully);
        Assert.Same(cached, await call);
        await WaitUntilAsync(() => source.Calls == 1);
        for (int i = 0; i < 100; i++)
        {
            ValueTask<AwsCredentials> other = cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
            Assert.True(other.IsCompletedSuccessfully);
        }

        source.Gate.SetResult();
        await cache.PendingRefresh;
        Assert.StartsWith("AKID-NEW-", (await cache.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId, StringComparison.Ordinal);
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task Heartbeat_IdleProcess_RefreshesOnTimerSoFirstCallAfterPauseIsHit()
    {
        var time = new FakeTimeProvider(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh, Lifetime = TimeSpan.FromHours(1) };
        using var cache = CreateInline(source, time);
        AwsCredentials first = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        // Idle for 3 hours: nobody calls. The heartbeat refreshes inside each advisory window.
        for (int minute = 0; minute < 180; minute++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await cache.PendingRefresh;
        }

        int callsBefore = source.Calls;
        ValueTask<AwsCredentials> call = cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        Assert.True(call.IsCompletedSuccessfully, "the first call after the pause must be a synchronous cache hit");
        AwsCredentials hit = await call;
        Assert.NotEqual(first.AccessKeyId, hit.AccessKeyId);
        Assert.True(hit.Expiration > time.GetUtcNow().AddMinutes(1));
        Assert.Equal(callsBefore, source.Calls);
        Assert.InRange(source.Calls, 4, 5); // one initial fetch + one refresh per hour of 1-hour credentials
    }

    [Fact]
    public async Task Heartbeat_WallClockStepsForwardADay_NoRefreshStorm()
    {
        var fake = new FakeTimeProvider(Start);
        var clock = new ClockSkewTimeProvider(fake);

        // The source (STS) keeps true time: its credentials expire an hour after the real now.
        var source = new ScriptedCredentialSource(fake) { Next = ScriptedCredentialSource.Answer.Fresh, Lifetime = TimeSpan.FromHours(1) };
        var logger = SecretScanLogging.NewFakeLogger();
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), clock, new CredentialTelemetry(logger), () => 0.5, static r => r(), TimeSpan.FromSeconds(1));
        AwsCredentials first = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        clock.WallOffset = TimeSpan.FromDays(1);
        for (int second = 0; second < 1800; second++)
        {
            fake.Advance(TimeSpan.FromSeconds(1));
            await cache.PendingRefresh;
            _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        }

        // Every answer looks stale against the stepped clock, so each refresh counts as a failure. The credentials look expired, so
        // the retries follow the short schedule (1.5, 3, 6, 12, 24 s, then 52.5 s with this random) for 5 minutes, then the wide one
        // (half-way between 1 minute and the time the source has been failing, at most 10 minutes): about 17 fetches in half an
        // hour, one per call would be 1,800.
        Assert.InRange(source.Calls, 14, 20);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == 107);
        Assert.Equal(first.AccessKeyId, (await cache.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
    }

    [Fact]
    public async Task Heartbeat_WallClockStepsBack_NothingChanges()
    {
        var fake = new FakeTimeProvider(Start);
        var clock = new ClockSkewTimeProvider(fake);
        var source = new ScriptedCredentialSource(fake) { Next = ScriptedCredentialSource.Answer.Fresh, Lifetime = TimeSpan.FromHours(1) };
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions { RefreshJitter = 0 }, clock, new CredentialTelemetry(SecretScanLogging.Logger), () => 0.5, static r => r(), TimeSpan.FromSeconds(1));
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        clock.WallOffset = TimeSpan.FromHours(-5);
        fake.Advance(TimeSpan.FromMinutes(44));
        Assert.Equal(1, source.Calls);

        // The monotonic deadline (45 minutes in) still holds although the wall clock went back.
        fake.Advance(TimeSpan.FromMinutes(2));
        await cache.PendingRefresh;
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task Heartbeat_AfterSystemSuspend_RefreshesAndCallersGetFreshCredentials()
    {
        var fake = new FakeTimeProvider(Start);
        var clock = new ClockSkewTimeProvider(fake);

        // The real world (and STS) moves on during the suspend: the source uses the skewed wall clock.
        var source = new ScriptedCredentialSource(clock) { Next = ScriptedCredentialSource.Answer.Fresh, Lifetime = TimeSpan.FromHours(1) };
        var logger = SecretScanLogging.NewFakeLogger();
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), clock, new CredentialTelemetry(logger), () => 0.5, static r => r(), TimeSpan.FromSeconds(1));
        AwsCredentials beforeLid = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        // The lid closes for two hours: the wall clock moves, the monotonic clock (and every timer) stands still.
        clock.WallOffset = TimeSpan.FromHours(2);

        // Within one heartbeat of waking the cache sees the jump and refreshes; no caller is served the expired credentials after that.
        fake.Advance(TimeSpan.FromSeconds(1));
        await cache.PendingRefresh;
        AwsCredentials afterLid = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        Assert.NotEqual(beforeLid.AccessKeyId, afterLid.AccessKeyId);
        Assert.True(afterLid.Expiration > clock.GetUtcNow());
        Assert.Equal(2, source.Calls);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == 107);
    }

    [Fact]
    public async Task GetCredentialsAsync_ExpiredAndSourceUp_WaitsForFreshNeverServesExpired()
    {
        var time = new FakeTimeProvider(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh };
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, new CredentialTelemetry(SecretScanLogging.Logger));
        AwsCredentials? expired = CredentialRefreshVectorTests.Seed(cache, time, "expired", "AKID-OLD");

        AwsCredentials got = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.NotSame(expired, got);
        Assert.True(got.Expiration > time.GetUtcNow());
    }

    [Fact]
    public async Task FirstRefreshPoints_FleetStartedTogether_SpreadOverMostOfTheLifetime()
    {
        var time = new FakeTimeProvider(Start);
        var refreshMinutes = new List<int>();
        var caches = new List<(RefreshingCredentialCache Cache, ScriptedCredentialSource Source)>();
        for (int i = 0; i < 50; i++)
        {
            var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh, Lifetime = TimeSpan.FromHours(1) };
            var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, new CredentialTelemetry(SecretScanLogging.Logger), Random.Shared.NextDouble, static r => r(), TimeSpan.FromSeconds(1));
            _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
            caches.Add((cache, source));
        }

        var refreshedAt = new int[caches.Count];
        for (int minute = 1; minute <= 60; minute++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            for (int i = 0; i < caches.Count; i++)
            {
                if (refreshedAt[i] == 0 && caches[i].Source.Calls == 2)
                {
                    refreshedAt[i] = minute;
                }
            }
        }

        foreach (var (cache, _) in caches)
        {
            cache.Dispose();
        }

        // 1-hour credentials: 15-minute advisory window, 1-minute mandatory window, jitter 0.5 -> the normal point lies between minute
        // 45 and 52; the first one after a start is drawn between 10 % of the lifetime (minute 6) and it.
        string all = string.Join(",", refreshedAt);
        Assert.All(refreshedAt, m => Assert.InRange(m, 6, 53));
        Assert.True(refreshedAt.Distinct().Count() >= 15, "refresh points must be spread: " + all);
        Assert.True(refreshedAt.Min() < 20 && refreshedAt.Max() > 38, "refresh points must cover most of the lifetime: " + all);
    }

    [Fact]
    public async Task GetCredentialsAsync_ThousandConcurrentCallersOnColdCache_ExactlyOneFetch()
    {
        // Several rounds: a race between publishing and late callers would show as a second fetch.
        for (int round = 0; round < 10; round++)
        {
            var time = new FakeTimeProvider(Start);
            var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh, Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
            using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, new CredentialTelemetry(SecretScanLogging.Logger));
            using var go = new ManualResetEventSlim();

            Task<AwsCredentials>[] callers = [.. Enumerable.Range(0, 1000).Select(_ => Task.Run(async () =>
            {
                go.Wait();
                return await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
            }))];
            go.Set();
            await WaitUntilAsync(() => source.Calls >= 1);
            if (round % 2 == 1)
            {
                await Task.Delay(5, TestContext.Current.CancellationToken);
            }

            source.Gate.SetResult();
            AwsCredentials[] results = await Task.WhenAll(callers);

            Assert.Equal(1, source.Calls);
            Assert.Single(results.Select(r => r.AccessKeyId).Distinct());
        }
    }

    [Fact]
    public async Task GetCredentialsAsync_FetchSlowerThanFiveSeconds_IsShared()
    {
        var time = new FakeTimeProvider(Start);
        var slow = new DelayedSource(time, TimeSpan.FromSeconds(12));
        using var cache = new RefreshingCredentialCache(slow, new CredentialCacheOptions(), time, new CredentialTelemetry(SecretScanLogging.Logger));

        Task<AwsCredentials> first = cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask();
        await WaitUntilAsync(() => slow.Calls == 1);
        time.Advance(TimeSpan.FromSeconds(6));
        Task<AwsCredentials> second = cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask();
        time.Advance(TimeSpan.FromSeconds(3));
        Task<AwsCredentials> third = cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask();
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(3));

        AwsCredentials[] results = await Task.WhenAll(first, second, third);
        Assert.Equal(1, slow.Calls);
        Assert.Single(results.Distinct());
    }

    [Fact]
    public async Task GetCredentialsAsync_OneWaiterCancels_FetchAndOtherWaitersContinue()
    {
        var time = new FakeTimeProvider(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh, Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, new CredentialTelemetry(SecretScanLogging.Logger));
        using var cancelA = new CancellationTokenSource();

        Task<AwsCredentials> a = cache.GetCredentialsAsync(cancelA.Token).AsTask();
        Task<AwsCredentials> b = cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask();
        await WaitUntilAsync(() => source.Calls == 1);
        await cancelA.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        Assert.False(b.IsCompleted);
        source.Gate.SetResult();
        AwsCredentials got = await b;
        Assert.Equal(1, source.Calls);
        Assert.Same(got, await cache.GetCredentialsAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GetCredentialsAsync_CanceledBeforeCall_ThrowsWithoutFetching()
    {
        var time = new FakeTimeProvider(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh };
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, new CredentialTelemetry(SecretScanLogging.Logger));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.GetCredentialsAsync(new CancellationToken(canceled: true)).AsTask());
        Assert.Equal(0, source.Calls);
    }

    [Fact]
    public async Task Snapshot_CredentialsShorterThanTheirWindow_NoRefreshLoop()
    {
        var time = new FakeTimeProvider(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh, Lifetime = TimeSpan.FromMinutes(2) };
        using var cache = CreateInline(source, time);
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        for (int second = 0; second < 600; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await cache.PendingRefresh;
        }

        // 2-minute credentials with a 5-minute window refresh half-way (every minute), not every heartbeat.
        Assert.InRange(source.Calls, 10, 12);
    }

    [Fact]
    public async Task Dispose_StopsTheHeartbeat()
    {
        var time = new FakeTimeProvider(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh };
        var cache = CreateInline(source, time);
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        cache.Dispose();

        time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task GetCredentialsAsync_NonExpiringCredentials_NeverRefetched()
    {
        var time = new FakeTimeProvider(Start);
        var source = new FixedSource(new AwsCredentials("AKIDSTATIC", "secret", null, null, "StaticKeys"));
        using var cache = CreateInline(source, time);
        for (int i = 0; i < 3; i++)
        {
            _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
            time.Advance(TimeSpan.FromDays(1));
        }

        Assert.Equal(1, source.Calls);
    }

    private static RefreshingCredentialCache CreateInline(IAwsCredentialSource source, TimeProvider time) =>
        new(source, new CredentialCacheOptions(), time, new CredentialTelemetry(SecretScanLogging.Logger), () => 0.5, static r => r(), TimeSpan.FromSeconds(1));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Yield();
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
    }

    private sealed class DelayedSource(FakeTimeProvider time, TimeSpan delay) : IAwsCredentialSource
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(delay, time, cancellationToken);
            return new AwsCredentials("AKID-SLOW", "secret", "token", time.GetUtcNow().AddHours(1), "Slow");
        }
    }

    private sealed class FixedSource(AwsCredentials credentials) : IAwsCredentialSource
    {
        public int Calls { get; private set; }

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
        {
            Calls++;
            return new ValueTask<AwsCredentials>(credentials);
        }
    }
}
