using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Caching;

/// <summary>
/// Issue 15, item 3: the refresh points a cache computes (jitter, short-lived credentials) checked on the monotonic clock alone (the
/// wall clock stepped back, so it cannot mask a wrong deadline), what the sync fast lane serves per phase, the time-until-expiry
/// gauge, the heartbeat on invalidated credentials that never expire, and asynchronous disposal.
/// </summary>
public sealed class CacheScheduleMutationGuardTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Jitter_MovesTheRefreshPointIntoTheAdvisoryWindow()
    {
        // 60 min credentials: advisory 15 min, mandatory 1 min; jitter 0.5 x random 0.5 of the 14 min between: 3.5 min, so the normal
        // point is minute 48.5. This is the cache's first fetch, so the point is drawn again between 10 % of the lifetime (minute 6)
        // and the normal point: 6 + (48.5 - 6) x 0.5 = minute 27.25.
        var time = new SplitClock(Start);
        using RefreshingCredentialCache cache = await FetchedAsync(time, TimeSpan.FromHours(1), new CredentialCacheOptions(), random: 0.5);

        time.Monotonic.Advance(TimeSpan.FromMinutes(27.25) - TimeSpan.FromSeconds(1));
        Assert.Equal(CachePhase.Fresh, cache.GetStatus().Phase);
        time.Monotonic.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CachePhase.Advisory, cache.GetStatus().Phase);
    }

    [Fact]
    public async Task MonotonicDeadlines_HoldWhenTheWallClockStepsBack()
    {
        var time = new SplitClock(Start);
        using RefreshingCredentialCache cache = await FetchedAsync(time, TimeSpan.FromHours(1), new CredentialCacheOptions { RefreshJitter = 0 }, random: 0.5);
        time.WallOffset = TimeSpan.FromHours(-1);

        AssertPhases(cache, time, (44 * 60, CachePhase.Fresh), (45 * 60, CachePhase.Advisory), (59 * 60, CachePhase.Mandatory), (60 * 60, CachePhase.Expired));
    }

    [Theory]
    [InlineData(100, 0.5, 50, 75)] // refresh half-way; the mandatory point (40 s) would come first, so it moves to three quarters
    [InlineData(280, 0.0, 140, 220)] // refresh half-way; the mandatory point stays 60 s before expiry (220 s, not 210 s)
    public async Task ShortLivedCredentials_RefreshHalfWay_MandatoryNeverBeforeIt(int lifetime, double random, int advisoryAt, int mandatoryAt)
    {
        // Credentials shorter-lived than their 5 min window.
        var time = new SplitClock(Start);
        using RefreshingCredentialCache cache = await FetchedAsync(time, TimeSpan.FromSeconds(lifetime), new CredentialCacheOptions(), random);
        time.WallOffset = TimeSpan.FromHours(-1);

        AssertPhases(
            cache,
            time,
            (advisoryAt - 1, CachePhase.Fresh),
            (advisoryAt, CachePhase.Advisory),
            (mandatoryAt - 1, CachePhase.Advisory),
            (mandatoryAt, CachePhase.Mandatory),
            (lifetime, CachePhase.Expired));
    }

    [Fact]
    public async Task Seeded_NoJitter_AdvisoryExactlyAtTheWindow()
    {
        var time = new SplitClock(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Error };
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, CredentialTelemetry.Null, () => 0.5, static r => r(), TimeSpan.FromSeconds(1));
        cache.Seed(new AwsCredentials("AKIDSEEDED", "seeded-secret", "seeded-token", Start.AddHours(1), "Seeded"), TimeSpan.FromMinutes(15));
        time.WallOffset = TimeSpan.FromHours(-1);

        AssertPhases(cache, time, (45 * 60 - 1, CachePhase.Fresh), (45 * 60, CachePhase.Advisory));
    }

    [Fact]
    public async Task Current_ServesFreshAndAdvisory_NothingOnceCallersMustWait()
    {
        var time = new SplitClock(Start);
        using RefreshingCredentialCache cache = await FetchedAsync(time, TimeSpan.FromHours(1), new CredentialCacheOptions { RefreshJitter = 0 }, random: 0.5);
        AwsCredentials fetched = cache.LastCredentials!;

        Assert.Same(fetched, cache.Current);
        time.Monotonic.Advance(TimeSpan.FromMinutes(46)); // the heartbeat moves the phase; the refresh it starts fails
        await cache.PendingRefresh;
        Assert.Equal(CachePhase.Advisory, cache.Phase);
        Assert.Same(fetched, cache.Current);
        time.Monotonic.Advance(TimeSpan.FromMinutes(13.5));
        await cache.PendingRefresh;
        Assert.Equal(CachePhase.Mandatory, cache.Phase);
        Assert.Null(cache.Current);
    }

    [Fact]
    public async Task TimeUntilExpiry_TheEarlierOfBothClocks()
    {
        var time = new SplitClock(Start);
        using RefreshingCredentialCache cache = await FetchedAsync(time, TimeSpan.FromHours(1), new CredentialCacheOptions { RefreshJitter = 0 }, random: 0.5);
        var observable = (IExpiryObservable)cache;

        time.Monotonic.Advance(TimeSpan.FromMinutes(10));
        time.WallOffset = TimeSpan.FromHours(-1); // the wall clock says 110 min are left; the monotonic clock, 50
        Assert.True(observable.TryGetTimeUntilExpiry(out TimeSpan remaining, out string? sourceName));
        Assert.Equal(TimeSpan.FromMinutes(50), remaining);
        Assert.Equal("Scripted", sourceName);

        time.WallOffset = TimeSpan.FromMinutes(20); // now the wall clock is ahead: 30 min left
        Assert.True(observable.TryGetTimeUntilExpiry(out remaining, out _));
        Assert.Equal(TimeSpan.FromMinutes(30), remaining);
    }

    [Fact]
    public void TimeUntilExpiry_NothingCached_NoAnswer()
    {
        var time = new FakeTimeProvider(Start);
        using var cache = new RefreshingCredentialCache(new ScriptedCredentialSource(time), new CredentialCacheOptions(), time, CredentialTelemetry.Null);

        Assert.False(((IExpiryObservable)cache).TryGetTimeUntilExpiry(out _, out string? sourceName));
        Assert.Null(sourceName);
    }

    [Fact]
    public async Task NeverExpiring_Invalidated_TheHeartbeatRefreshesWithoutACaller()
    {
        var time = new FakeTimeProvider(Start);
        int calls = 0;
        var source = new FakeCredentialSource(_ => new ValueTask<AwsCredentials>(FakeCredentialSource.Credentials($"AKIDSTATIC{Interlocked.Increment(ref calls):D7}")));
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, CredentialTelemetry.Null, () => 0.5, static r => r(), TimeSpan.FromSeconds(1));
        AwsCredentials first = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, calls); // never expiring and not rejected: the heartbeat leaves them alone

        cache.Invalidate(first.AccessKeyId);
        time.Advance(TimeSpan.FromSeconds(1));
        await cache.PendingRefresh;

        Assert.Equal(2, calls);
        Assert.NotEqual(first.AccessKeyId, cache.LastCredentials!.AccessKeyId);
        Assert.Equal(CachePhase.Fresh, cache.Phase);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DisposeAsync_DisposesTheInnerSourceOnlyWhenOwned_Once(bool owned)
    {
        var time = new FakeTimeProvider(Start);
        var inner = new AsyncDisposalCounter();
        var cache = new RefreshingCredentialCache(inner, new CredentialCacheOptions(), time, CredentialTelemetry.Null, owned);

        await cache.DisposeAsync();
        await cache.DisposeAsync();
        cache.Dispose();

        Assert.Equal(owned ? 1 : 0, inner.Disposals);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());
        Assert.Null(cache.Current);
    }

    private static async Task<RefreshingCredentialCache> FetchedAsync(SplitClock time, TimeSpan lifetime, CredentialCacheOptions options, double random)
    {
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh, Lifetime = lifetime };
        var cache = new RefreshingCredentialCache(source, options, time, CredentialTelemetry.Null, () => random, static r => r(), TimeSpan.FromSeconds(1));
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        source.Next = ScriptedCredentialSource.Answer.Error; // later refreshes fail: the first snapshot stays in place
        return cache;
    }

    /// <summary>Advances the monotonic clock to each second given (from the fetch, at the start) and checks the phase there.</summary>
    private static void AssertPhases(RefreshingCredentialCache cache, SplitClock time, params (int Second, CachePhase Phase)[] expected)
    {
        foreach ((int second, CachePhase phase) in expected)
        {
            time.Monotonic.Advance(Start.AddSeconds(second) - time.Monotonic.GetUtcNow());
            Assert.True(phase == cache.GetStatus().Phase, $"at {second} s: expected {phase}, got {cache.GetStatus().Phase}");
        }
    }

    private sealed class AsyncDisposalCounter : IAwsCredentialSource
    {
        public int Disposals { get; private set; }

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) =>
            new(FakeCredentialSource.Credentials());

        public ValueTask DisposeAsync()
        {
            Disposals++;
            return ValueTask.CompletedTask;
        }
    }
}
