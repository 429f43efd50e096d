using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Caching;

/// <summary>
/// Issue 15, item 3: the cache's paths its other tests left unpinned: a caller that finds newer credentials published while it
/// looked, the status's last error, the context it reports, a seeded backoff, the heartbeat with nothing cached, credentials that
/// expire in the far future, the first fetch's refresh point on the wall clock, and disposal (once, the source with it).
/// </summary>
public sealed class CachePathGuardTests
{
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SlowPath_NewerCredentialsPublishedWhileTheCallerLooked_ServedWithoutAnotherFetch()
    {
        var time = new HookedClock(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh };
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, CredentialTelemetry.Null, () => 0.5, static r => r(), Timeout.InfiniteTimeSpan);
        AwsCredentials first = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        cache.Invalidate(first.AccessKeyId);

        // While this caller reads the clock, another one refreshes (synchronously: the source answers at once) and publishes.
        AwsCredentials? publishedMeanwhile = null;
        time.OnNextWallClockRead = () =>
        {
            ValueTask<AwsCredentials> other = cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
            Assert.True(other.IsCompletedSuccessfully);
            publishedMeanwhile = other.Result;
        };
        AwsCredentials served = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(publishedMeanwhile);
        Assert.NotEqual(first.AccessKeyId, publishedMeanwhile.AccessKeyId);
        Assert.Same(publishedMeanwhile, served);
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task Status_LastError_SetByAFailure_ClearedByASuccess()
    {
        var time = new FakeTimeProvider(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Error };
        using RefreshingCredentialCache cache = Cache(source, time);

        AwsCredentialException failure = await Assert.ThrowsAsync<AwsCredentialException>(() => cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());
        Assert.Same(failure, cache.GetStatus().LastError);

        source.Next = ScriptedCredentialSource.Answer.Fresh;
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        Assert.Null(cache.GetStatus().LastError);
    }

    [Fact]
    public void Invalidate_NullKey_Throws()
    {
        var time = new FakeTimeProvider(Start);
        using RefreshingCredentialCache cache = Cache(new ScriptedCredentialSource(time), time);

        Assert.Throws<ArgumentNullException>(() => cache.Invalidate(null!));
    }

    [Fact]
    public void BuiltFrom_ItsOwnContextFirst_ElseTheSources()
    {
        var time = new FakeTimeProvider(Start);
        var cacheContext = new CredentialSourceContext(new WorkloadCredentialsOptions());
        var sourceContext = new CredentialSourceContext(new WorkloadCredentialsOptions());
        var source = new ContextSource(sourceContext);

        using RefreshingCredentialCache plain = Cache(source, time);
        using var given = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, CredentialTelemetry.Null) { BuiltFrom = cacheContext };

        Assert.Same(sourceContext, plain.BuiltFrom);
        Assert.Same(cacheContext, given.BuiltFrom);
    }

    [Fact]
    public async Task Seed_WithABackoff_ServesTheSeededCredentialsUntilItEnds()
    {
        var time = new FakeTimeProvider(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh };
        using RefreshingCredentialCache cache = Cache(source, time);
        var seeded = new AwsCredentials("AKIDSEEDED", "seeded-secret", "seeded-token", Start.AddSeconds(30), "Seeded");
        cache.Seed(seeded, TimeSpan.FromMinutes(5), refreshBackoff: TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Same(seeded, await cache.GetCredentialsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, source.Calls);

        time.Advance(TimeSpan.FromTicks(1));
        Assert.NotSame(seeded, await cache.GetCredentialsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public void Heartbeat_NothingCachedYet_FetchesNothing()
    {
        var time = new FakeTimeProvider(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh };
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, CredentialTelemetry.Null, () => 0.5, static r => r(), TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, source.Calls);
    }

    [Fact]
    public async Task CredentialsExpiringInTheFarFuture_StayFresh()
    {
        var time = new FakeTimeProvider(Start);
        var source = FakeCredentialSource.Returning(FakeCredentialSource.Credentials(sourceName: "LongLived", expiration: new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, CredentialTelemetry.Null, () => 0.5, static r => r(), TimeSpan.FromSeconds(1));
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(CachePhase.Fresh, cache.Phase);
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task FirstFetch_SpreadRefreshPoint_HoldsOnTheWallClockToo()
    {
        // As CacheScheduleMutationGuardTests.Jitter_MovesTheRefreshPointIntoTheAdvisoryWindow (minute 27.25 after the fetch), but with
        // the wall clock 10 minutes ahead of the monotonic one: the wall clock reaches minute 27.25 at monotonic minute 17.25.
        var time = new SplitClock(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh };
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, CredentialTelemetry.Null, () => 0.5, static r => r(), Timeout.InfiniteTimeSpan);
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        time.WallOffset = TimeSpan.FromMinutes(10);

        time.Monotonic.Advance(TimeSpan.FromMinutes(17.25) - TimeSpan.FromSeconds(1));
        Assert.Equal(CachePhase.Fresh, cache.GetStatus().Phase);
        time.Monotonic.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CachePhase.Advisory, cache.GetStatus().Phase);
    }

    [Fact]
    public void Dispose_Twice_DisposesTheOwnedSourceOnce()
    {
        var time = new FakeTimeProvider(Start);
        var inner = new DisposalCounter();
        var cache = new RefreshingCredentialCache(inner, new CredentialCacheOptions(), time, CredentialTelemetry.Null, ownsInner: true);

        cache.Dispose();
        Assert.Equal(1, inner.Disposals);
        cache.Dispose();

        Assert.Equal(1, inner.Disposals);
        Assert.Equal(0, inner.AsyncDisposals);
    }

    [Fact]
    public async Task DisposeAsync_TheFirstCallDisposesTheOwnedSource_ThenCallersAreToldWhatToDo()
    {
        var time = new FakeTimeProvider(Start);
        var inner = new DisposalCounter();
        var cache = new RefreshingCredentialCache(inner, new CredentialCacheOptions(), time, CredentialTelemetry.Null, ownsInner: true);

        await cache.DisposeAsync();

        Assert.Equal((0, 1), (inner.Disposals, inner.AsyncDisposals));
        ObjectDisposedException ex = await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("over DisposalCounter has been disposed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Dispose it only when the application stops, or create a new one", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowPath_ACallerAlreadyCancelled_IsToldSo_AndStartsNoFetch()
    {
        // Nothing cached, so the call takes the slow path; the caller gave up before it came: it must not start a fetch on its way out.
        var time = new FakeTimeProvider(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh };
        using RefreshingCredentialCache cache = Cache(source, time);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.GetCredentialsAsync(cancelled.Token).AsTask());

        Assert.Equal(0, source.Calls);
    }

    private static RefreshingCredentialCache Cache(IAwsCredentialSource source, TimeProvider time) =>
        new(source, new CredentialCacheOptions(), time, CredentialTelemetry.Null, () => 0.5, static r => r(), Timeout.InfiniteTimeSpan);

    /// <summary>A fake clock that runs an action on its next wall-clock read (to interleave a second caller deterministically).</summary>
    private sealed class HookedClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public Action? OnNextWallClockRead { get; set; }

        public override DateTimeOffset GetUtcNow()
        {
            Action? hook = OnNextWallClockRead;
            OnNextWallClockRead = null;
            hook?.Invoke();
            return base.GetUtcNow();
        }
    }

    private sealed class ContextSource(CredentialSourceContext context) : IAwsCredentialSource, IBuiltFromContext
    {
        public CredentialSourceContext? BuiltFrom => context;

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) => new(FakeCredentialSource.Credentials());
    }

    private sealed class DisposalCounter : IAwsCredentialSource
    {
        public int Disposals { get; private set; }

        public int AsyncDisposals { get; private set; }

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) => new(FakeCredentialSource.Credentials());

        public void Dispose() => Disposals++;

        public ValueTask DisposeAsync()
        {
            AsyncDisposals++;
            return ValueTask.CompletedTask;
        }
    }
}
