using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.AwsSdk;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.Caching;

/// <summary>
/// Issue 9, items 7, 12 and 16: a short STS outage at refresh time never leaves expired credentials in service for minutes; every
/// refresh has a total budget, so a stuck source never holds the refresh slot nor any caller; a disposed cache says so.
/// </summary>
public sealed class RefreshRetryAndBudgetTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ShortOutageAroundTheRefreshPoint_ExpiredCredentialsAreNeverServed()
    {
        // The run: 120 s credentials refreshed 30 s before expiry, STS failing for 20 s around the refresh point.
        var time = new FakeTimeProvider(Start);
        var sts = new OutageSource(time, lifetime: TimeSpan.FromSeconds(120)) { DownFrom = Start.AddSeconds(80), DownUntil = Start.AddSeconds(100) };
        using RefreshingCredentialCache cache = Inline(sts, time, new CredentialCacheOptions { RefreshBeforeExpiry = TimeSpan.FromSeconds(30), RefreshJitter = 0 });

        for (int second = 0; second < 400; second++)
        {
            AwsCredentials served = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
            Assert.True(served.Expiration > time.GetUtcNow(), $"second {second}: expired credentials served (they expired at {served.Expiration:O})");
            time.Advance(TimeSpan.FromSeconds(1));
            await cache.PendingRefresh;
        }

        Assert.True(sts.Failures >= 1, "the outage must have been met");
    }

    [Fact]
    public async Task OutageOutlastsTheCredentials_FreshCredentialsWithinSecondsOfRecovery()
    {
        // STS is down from before the refresh point until 5 s after the credentials expired.
        var time = new FakeTimeProvider(Start);
        var sts = new OutageSource(time, lifetime: TimeSpan.FromSeconds(120)) { DownFrom = Start.AddSeconds(85), DownUntil = Start.AddSeconds(125) };
        using RefreshingCredentialCache cache = Inline(sts, time, new CredentialCacheOptions { RefreshBeforeExpiry = TimeSpan.FromSeconds(30), RefreshJitter = 0 });

        int lastExpiredSecond = -1;
        for (int second = 0; second < 300; second++)
        {
            AwsCredentials served = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
            if (served.Expiration <= time.GetUtcNow())
            {
                lastExpiredSecond = second;
            }

            time.Advance(TimeSpan.FromSeconds(1));
            await cache.PendingRefresh;
        }

        // Expired from 120 s; STS back at 125 s; the short retries (1.5, 3, 6 s with this random) find it by about 130 s.
        // The spec's 300-600 s backoff would serve the expired credentials until 390 s or later.
        Assert.InRange(lastExpiredSecond, 120, 135);
        Assert.InRange(sts.Failures, 3, 12);
    }

    [Fact]
    public async Task InvalidatedAndSourceFailing_RetriedWithinSeconds()
    {
        var time = new FakeTimeProvider(Start);
        var sts = new OutageSource(time, lifetime: TimeSpan.FromHours(1));
        using RefreshingCredentialCache cache = Inline(sts, time, new CredentialCacheOptions { RefreshJitter = 0 });
        AwsCredentials first = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        sts.DownFrom = time.GetUtcNow();
        sts.DownUntil = time.GetUtcNow().AddSeconds(10);
        cache.Invalidate(first.AccessKeyId);
        Assert.Same(first, await cache.GetCredentialsAsync(TestContext.Current.CancellationToken)); // refresh fails: cached served
        int callsAfterFailure = sts.Calls;

        for (int second = 0; second < 20; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await cache.PendingRefresh;
            _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        }

        // Retried on the short schedule (not after 300-600 s), and the new credentials replaced the rejected ones.
        Assert.True(sts.Calls > callsAfterFailure + 1, $"calls: {sts.Calls}");
        Assert.NotEqual(first.AccessKeyId, (await cache.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
    }

    [Fact]
    public async Task InvalidatedDuringABackoff_TheNextCallRefreshesAtOnce_OncePerCredentials()
    {
        // An outage makes a refresh fail: the expired credentials are served during the backoff. The source recovers and a service
        // (STS, for a role signed with these keys) rejects them: the next call must refresh, not wait for the end of the backoff.
        var time = new FakeTimeProvider(Start);
        var sts = new OutageSource(time, lifetime: TimeSpan.FromMinutes(15));
        using RefreshingCredentialCache cache = Inline(sts, time, new CredentialCacheOptions { RefreshJitter = 0 });
        AwsCredentials first = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        sts.DownFrom = time.GetUtcNow();
        for (int second = 0; second < 1200 && sts.Failures < 3; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await cache.PendingRefresh;
        }

        Assert.Same(first, await cache.GetCredentialsAsync(TestContext.Current.CancellationToken)); // in the backoff: cached, no call
        int calls = sts.Calls;
        sts.DownUntil = time.GetUtcNow();

        cache.Invalidate(first.AccessKeyId);
        AwsCredentials fresh = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.NotEqual(first.AccessKeyId, fresh.AccessKeyId);
        Assert.Equal(calls + 1, sts.Calls);

        // A second rejection of the same keys while the source still fails does not skip the backoff again.
        sts.DownFrom = time.GetUtcNow();
        sts.DownUntil = DateTimeOffset.MaxValue;
        cache.Invalidate(fresh.AccessKeyId);
        Assert.Same(fresh, await cache.GetCredentialsAsync(TestContext.Current.CancellationToken)); // refresh fails: cached served
        calls = sts.Calls;
        cache.Invalidate(fresh.AccessKeyId);
        Assert.Same(fresh, await cache.GetCredentialsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(calls, sts.Calls);
    }

    [Theory]
    [InlineData(0, 1.0, 2.0)]
    [InlineData(1, 2.0, 4.0)]
    [InlineData(4, 16.0, 32.0)]
    [InlineData(5, 45.0, 60.0)]
    [InlineData(50, 45.0, 60.0)]
    public void Schedule_Expired_GrowsExponentiallyToAboutAMinute(int failures, double min, double max)
    {
        foreach (double unit in new[] { 0.0, 0.5, 0.999 })
        {
            Assert.InRange(RefreshRetrySchedule.AfterFailure(TimeSpan.FromSeconds(-5), rejected: false, failures, TimeSpan.FromMinutes(4), unit).TotalSeconds, min, max);
        }
    }

    [Theory]
    [InlineData(5.0, 60.0, 300.0)]
    [InlineData(10.0, 60.0, 600.0)]
    [InlineData(120.0, 60.0, 600.0)] // at most the wide cap: 10 minutes
    public void Schedule_ExpiredAndSourceOutForLong_SpreadUpToTheTimeItHasBeenOut(double failingMinutes, double min, double max)
    {
        var seen = new List<double>();
        foreach (double unit in new[] { 0.0, 0.5, 0.999 })
        {
            double delay = RefreshRetrySchedule.AfterFailure(TimeSpan.FromSeconds(-5), rejected: false, 50, TimeSpan.FromMinutes(failingMinutes), unit).TotalSeconds;
            Assert.InRange(delay, min, max);
            seen.Add(delay);
        }

        Assert.Equal(min, seen[0], 3);
        Assert.True(seen[2] > max * 0.99, $"the spread reaches the top: {seen[2]}");
    }

    [Fact]
    public async Task LongOutage_ExpiredCredentialsRetrySpreadOverMinutesAndRecoverWithinTheWideCap()
    {
        // 1-hour credentials refreshed at minute 45 (no jitter); STS down from minute 44 to minute 84: expired from minute 60.
        var time = new FakeTimeProvider(Start);
        var sts = new OutageSource(time, lifetime: TimeSpan.FromHours(1)) { DownFrom = Start.AddMinutes(44), DownUntil = Start.AddMinutes(84) };
        using RefreshingCredentialCache cache = Inline(sts, time, new CredentialCacheOptions { RefreshJitter = 0 });
        int callsAtExpiry = 0;
        int lastExpiredSecond = -1;
        for (int second = 0; second < 110 * 60; second++)
        {
            AwsCredentials served = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
            if (served.Expiration <= time.GetUtcNow())
            {
                lastExpiredSecond = second;
            }

            callsAtExpiry = second == 60 * 60 ? sts.Calls : callsAtExpiry;
            time.Advance(TimeSpan.FromSeconds(1));
            await cache.PendingRefresh;
        }

        // The source had been failing for 15 minutes when the credentials expired: retries are spread over minutes, not every
        // 45-60 s (24 minutes of outage left would have meant about 27 fetches), and STS back at minute 84 is found within 10 minutes.
        int duringOutage = sts.Failures - (callsAtExpiry - 1);
        Assert.InRange(duringOutage, 1, 8);
        Assert.InRange(lastExpiredSecond, 84 * 60, 94 * 60);
    }

    [Theory]
    [InlineData(3600.0, 300.0, 600.0)] // outlives the backoff: the spec's 300-600 s
    [InlineData(400.0, 200.0, 360.0)] // the backoff could outlast them: 50-90 % of the way to the expiry
    [InlineData(30.0, 15.0, 27.0)]
    public void Schedule_BeforeExpiry_NeverPastTheExpiry(double untilExpiry, double min, double max)
    {
        foreach (double unit in new[] { 0.0, 0.5, 0.999 })
        {
            TimeSpan delay = RefreshRetrySchedule.AfterFailure(TimeSpan.FromSeconds(untilExpiry), rejected: false, 0, TimeSpan.FromHours(1), unit);
            Assert.InRange(delay.TotalSeconds, min, max);
        }
    }

    [Fact]
    public async Task StuckSourceNothingCached_CallerGetsABudgetErrorAndTheSlotIsFreed()
    {
        var time = new FakeTimeProvider(Start);
        var stuck = new StuckSource(time);
        using var cache = new RefreshingCredentialCache(stuck, new CredentialCacheOptions { RefreshTimeout = TimeSpan.FromSeconds(5) }, time, new CredentialTelemetry(SecretScanLogging.Logger));

        Task<AwsCredentials> waiting = cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask();
        await WaitUntilAsync(() => stuck.Calls == 1);
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Contains("RefreshTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("00:00:05", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsRecoverable);

        // The file is fixed: the next call starts a new fetch at once instead of waiting on the stuck one.
        stuck.Answer = true;
        AwsCredentials credentials = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("AKIDUNSTUCK", credentials.AccessKeyId);
        Assert.Equal(2, stuck.Calls);
    }

    [Fact]
    public async Task StuckSourceDuringRefresh_CachedCredentialsKeepBeingServed()
    {
        var time = new FakeTimeProvider(Start);
        var stuck = new StuckSource(time) { Answer = true };
        using var cache = new RefreshingCredentialCache(stuck, new CredentialCacheOptions { RefreshTimeout = TimeSpan.FromSeconds(30), RefreshJitter = 0 }, time, new CredentialTelemetry(SecretScanLogging.Logger));
        AwsCredentials first = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        // Past the expiry with the source hanging: the refresh gives up at the budget and the cached credentials are served.
        stuck.Answer = false;
        time.Advance(TimeSpan.FromHours(1));
        Task<AwsCredentials> waiting = cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask();
        await WaitUntilAsync(() => stuck.Calls == 2);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Same(first, await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SdkCallOverAStuckSource_EndsWithinTheBudget()
    {
        // WorkloadAwsCredentials has no token from the AWS SDK: the cache's budget is what bounds the SDK call.
        var stuck = new StuckSource(TimeProvider.System);
        using var cache = new RefreshingCredentialCache(stuck, new CredentialCacheOptions { RefreshTimeout = TimeSpan.FromSeconds(1) }, TimeProvider.System, new CredentialTelemetry(SecretScanLogging.Logger));
        var credentials = new WorkloadAwsCredentials(cache);

        Task<Amazon.Runtime.ImmutableCredentials> call = credentials.GetCredentialsAsync();
        await Assert.ThrowsAsync<AwsCredentialException>(() => call.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Dispose_WaitersOnAStuckFetch_GetObjectDisposedExceptionNamingTheCache()
    {
        var time = new FakeTimeProvider(Start);
        var stuck = new StuckSource(time);
        var cache = new RefreshingCredentialCache(stuck, new CredentialCacheOptions(), time, new CredentialTelemetry(SecretScanLogging.Logger));
        using var callerToken = new CancellationTokenSource();

        Task<AwsCredentials> waiting = cache.GetCredentialsAsync(callerToken.Token).AsTask();
        await WaitUntilAsync(() => stuck.Calls == 1);
        cache.Dispose();

        // Released at once although the source ignores cancellation, and not with a cancellation of a token the caller never cancelled.
        ObjectDisposedException error = await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.False(callerToken.IsCancellationRequested);
        Assert.Equal(nameof(RefreshingCredentialCache), error.ObjectName);
        Assert.Contains("credential cache", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_LaterCalls_ObjectDisposedExceptionNamingTheCacheNotATokenSource()
    {
        var time = new FakeTimeProvider(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh };
        var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, new CredentialTelemetry(SecretScanLogging.Logger));
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        await cache.DisposeAsync();
        cache.Dispose();

        // Even fresh cached credentials are not served by a disposed cache.
        ObjectDisposedException error = await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());
        Assert.DoesNotContain("CancellationTokenSource", error.Message, StringComparison.Ordinal);
        Assert.Contains("ScriptedCredentialSource", error.Message, StringComparison.Ordinal);
        Assert.Null(cache.Current);
        Assert.Equal(1, source.Calls);
    }

    private static RefreshingCredentialCache Inline(IAwsCredentialSource source, TimeProvider time, CredentialCacheOptions options) =>
        new(source, options, time, new CredentialTelemetry(SecretScanLogging.Logger), () => 0.5, static r => r(), TimeSpan.FromSeconds(1));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>STS with an outage window: fails (recoverably) while the clock is inside [DownFrom, DownUntil).</summary>
    private sealed class OutageSource(TimeProvider time, TimeSpan lifetime) : IAwsCredentialSource
    {
        private int _calls;

        public DateTimeOffset DownFrom { get; set; } = DateTimeOffset.MaxValue;

        public DateTimeOffset DownUntil { get; set; } = DateTimeOffset.MaxValue;

        public int Calls => Volatile.Read(ref _calls);

        public int Failures { get; private set; }

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
        {
            int n = Interlocked.Increment(ref _calls);
            DateTimeOffset now = time.GetUtcNow();
            if (now >= DownFrom && now < DownUntil)
            {
                Failures++;
                throw new AwsCredentialException("Outage: STS is unavailable (503).", "Outage", isRecoverable: true);
            }

            return new ValueTask<AwsCredentials>(new AwsCredentials($"ASIAOUTAGE{n:D10}", "outage-secret", "outage-token", now + lifetime, "Outage"));
        }
    }

    /// <summary>A source blocked on something that never ends and ignores cancellation (a FIFO opened without O_NONBLOCK) until <see cref="Answer"/>.</summary>
    private sealed class StuckSource(TimeProvider time) : IAwsCredentialSource
    {
        private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public bool Answer { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            if (!Answer)
            {
                await _never.Task; // deliberately no token
            }

            return new AwsCredentials("AKIDUNSTUCK", "unstuck-secret", "unstuck-token", time.GetUtcNow().AddHours(1), "Stuck");
        }
    }
}
