using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Telemetry;

namespace WorkloadCredentials.Tests.Caching;

/// <summary>
/// Issue 15, item 3: what the cache reports on each of its paths (caller or background refresh, failure with credentials cached, fresh
/// or expired, with none cached, during the backoff, an invalidation, a wall-clock jump), with the figures it reports (the retry in
/// seconds, the expired flag, the source named), and the constructor's seams (heartbeat period, random, how a refresh is started).
/// The heartbeat is off (an infinite period) or beats once where a test needs it, so each refresh is the test's own.
/// </summary>
public sealed class CacheTelemetryGuardTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 2, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly TelemetryTestKit _kit = new();
    private readonly FakeTimeProvider _time = new(Start);

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task CallerRefresh_Succeeds_StartedByTheSeam_LoggedAsACallersRefresh()
    {
        var source = new ScriptedCredentialSource(_time) { Next = ScriptedCredentialSource.Answer.Fresh };
        int started = 0;
        using var cache = new RefreshingCredentialCache(
            source, NoJitter, _time, _kit.Telemetry(), () => 0.5, refresh => { started++; return refresh(); }, Timeout.InfiniteTimeSpan);

        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, started);
        Assert.Equal("False", State(Single(100), "Background"));
        FakeLogRecord succeeded = Single(101);
        Assert.Equal("Scripted", State(succeeded, "SourceName"));
        Assert.Equal("00:15:00", State(succeeded, "AdvisoryWindow"));
        KeyValuePair<string, object?>[] refresh = Assert.Single(Measurements(CredentialInstruments.Refreshes)).Tags;
        Assert.Equal(TelemetryTags.Caller, refresh.Tag(TelemetryTags.Trigger));
        Assert.Equal(TelemetryTags.Success, refresh.Tag(TelemetryTags.Outcome));
    }

    [Fact]
    public async Task HeartbeatRefresh_InTheAdvisoryWindow_LoggedAsBackground()
    {
        var source = new ScriptedCredentialSource(_time) { Next = ScriptedCredentialSource.Answer.Fresh };
        using var cache = new RefreshingCredentialCache(source, NoJitter, _time, _kit.Telemetry(), () => 0.5, static r => r(), TimeSpan.FromSeconds(1));
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        _kit.Clear();

        _time.Advance(TimeSpan.FromMinutes(45)); // the advisory window opens at minute 45
        await cache.PendingRefresh;

        Assert.Equal(2, source.Calls);
        Assert.Equal("True", State(Single(100), "Background"));
        Assert.Equal(TelemetryTags.Background, Assert.Single(Measurements(CredentialInstruments.Refreshes)).Tags.Tag(TelemetryTags.Trigger));
    }

    [Fact]
    public async Task NoHeartbeat_NothingRefreshesWithoutACaller()
    {
        var source = new ScriptedCredentialSource(_time) { Next = ScriptedCredentialSource.Answer.Fresh };
        using RefreshingCredentialCache cache = Cache(source);
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        _time.Advance(TimeSpan.FromMinutes(59));

        Assert.Equal(1, source.Calls);
        Assert.Equal(CachePhase.Fresh, cache.Phase); // as last evaluated: nobody looked since the fetch
    }

    [Fact]
    public async Task RefreshFails_CachedStillValid_ServedDuringTheRetryAt70PercentOfWhatIsLeft_StaleServesNotExpired()
    {
        // One heartbeat, at minute 59.5: the mandatory window, 30 s left. Its refresh fails: retry after 30 s x (0.5 + 0.4 x 0.5) = 21 s.
        (ScriptedCredentialSource source, RefreshingCredentialCache cache, AwsCredentials cached) = await FetchedThenFailingAsync(TimeSpan.FromMinutes(59.5));
        using RefreshingCredentialCache disposed = cache;

        _time.Advance(TimeSpan.FromMinutes(59.5));

        Assert.Equal(2, source.Calls);
        FakeLogRecord failed = Single(102);
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Equal("Scripted", State(failed, "SourceName"));
        Assert.Equal(21, BackoffSeconds(failed), precision: 6);
        KeyValuePair<string, object?>[] refresh = Assert.Single(Measurements(CredentialInstruments.Refreshes)).Tags;
        Assert.Equal(TelemetryTags.Background, refresh.Tag(TelemetryTags.Trigger));
        Assert.Equal(TelemetryTags.Failure, refresh.Tag(TelemetryTags.Outcome));
        Assert.Equal(nameof(AwsCredentialException), refresh.Tag(TelemetryTags.ErrorType));
        Assert.Empty(Measurements(CredentialInstruments.StaleServes)); // nobody was waiting on a background refresh

        // Within the 21 s: served from the cache without asking the source, and said so.
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Same(cached, await cache.GetCredentialsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, source.Calls);
        Assert.Equal("False", State(Single(105), "Expired"));

        // After them: the caller's own refresh asks the source again; it fails, the caller gets the cached credentials.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Same(cached, await cache.GetCredentialsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(3, source.Calls);
        Assert.Equal([false, false], Measurements(CredentialInstruments.StaleServes).Select(m => m.Tags.Tag(TelemetryTags.Expired)));
        Assert.All(Measurements(CredentialInstruments.StaleServes), m => Assert.Equal("Scripted", m.Tags.Tag(TelemetryTags.Source)));
    }

    [Fact]
    public async Task RefreshFails_CachedExpired_ShortRetriesDouble_StaleServesExpired()
    {
        // One heartbeat, at minute 61: expired. Its refresh fails: the short schedule, 2 s x (0.5 + 0.5 x 0.5) = 1.5 s, then 4 s x 0.75 = 3 s.
        (ScriptedCredentialSource source, RefreshingCredentialCache cache, AwsCredentials cached) = await FetchedThenFailingAsync(TimeSpan.FromMinutes(61));
        using RefreshingCredentialCache disposed = cache;

        _time.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(1.5, BackoffSeconds(Single(102)));
        Assert.Same(cached, await cache.GetCredentialsAsync(TestContext.Current.CancellationToken)); // within the 1.5 s
        Assert.Equal(2, source.Calls);
        Assert.Equal("True", State(Single(105), "Expired"));

        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Same(cached, await cache.GetCredentialsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(3, source.Calls);
        Assert.Equal([1.5, 3], Records(102).Select(BackoffSeconds));
        Assert.Equal([true, true], Measurements(CredentialInstruments.StaleServes).Select(m => m.Tags.Tag(TelemetryTags.Expired)));
    }

    [Fact]
    public async Task FailsWithNothingCached_NamesTheFailingSource_ElseTheCachedOnesSource_ElseTheSourceType()
    {
        int call = 0;
        var source = new FakeCredentialSource(_ => Interlocked.Increment(ref call) switch
        {
            1 => ValueTask.FromException<AwsCredentials>(new IOException("disk gone")),
            2 => ValueTask.FromException<AwsCredentials>(new AwsCredentialException("Vault: sealed.", "Vault", isRecoverable: true)),
            3 => new ValueTask<AwsCredentials>(FakeCredentialSource.Credentials(sourceName: "Cached", expiration: _time.GetUtcNow().AddMinutes(30))),
            _ => ValueTask.FromException<AwsCredentials>(new IOException("disk gone again")),
        });
        using RefreshingCredentialCache cache = Cache(source, heartbeat: TimeSpan.FromMinutes(29.5));

        _ = await Assert.ThrowsAsync<IOException>(() => cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());
        _time.Advance(TimeSpan.FromSeconds(10));
        _ = await Assert.ThrowsAsync<AwsCredentialException>(() => cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());
        _time.Advance(TimeSpan.FromSeconds(10));
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(29.5)); // the heartbeat at minute 29.5 finds them in their mandatory window; its refresh fails

        Assert.Equal(["FakeCredentialSource", "Vault"], Records(104).Select(r => State(r, "SourceName")));
        Assert.All(Records(104), r => Assert.Equal(LogLevel.Debug, r.Level));
        Assert.Equal("Cached", State(Single(102), "SourceName"));
        Assert.Equal(
            ["FakeCredentialSource", "Vault", "Cached", "Cached"],
            Measurements(CredentialInstruments.Refreshes).Select(m => m.Tags.Tag(TelemetryTags.Source)));
    }

    [Fact]
    public async Task NonRecoverable_LoggedAsAnError_CachedForItsWindow()
    {
        var source = new ScriptedCredentialSource(_time) { Next = ScriptedCredentialSource.Answer.NonRecoverable };
        using RefreshingCredentialCache cache = Cache(source);

        _ = await Assert.ThrowsAsync<AwsCredentialException>(() => cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        FakeLogRecord error = Single(103);
        Assert.Equal((LogLevel.Error, "Scripted"), (error.Level, State(error, "SourceName")));
        _time.Advance(TimeSpan.FromSeconds(2.9)); // the error is cached 1 + 4 x 0.5 = 3 s
        _ = await Assert.ThrowsAsync<AwsCredentialException>(() => cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());
        Assert.Equal(1, source.Calls);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        _ = await Assert.ThrowsAsync<AwsCredentialException>(() => cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task Invalidate_TheCachedKey_LoggedAndCounted_AnotherKey_Nothing()
    {
        var source = new ScriptedCredentialSource(_time) { Next = ScriptedCredentialSource.Answer.Fresh };
        using RefreshingCredentialCache cache = Cache(source);
        AwsCredentials cached = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        _kit.Clear();

        cache.Invalidate("AKID-SOMEONE-ELSE");
        Assert.Empty(Records(106));
        Assert.Empty(Measurements(CredentialInstruments.Invalidations));
        Assert.Equal(CachePhase.Fresh, cache.Phase);

        cache.Invalidate(cached.AccessKeyId);
        FakeLogRecord invalidated = Single(106);
        Assert.Equal((LogLevel.Information, "Scripted"), (invalidated.Level, State(invalidated, "SourceName")));
        Assert.Equal("Scripted", Assert.Single(Measurements(CredentialInstruments.Invalidations)).Tags.Tag(TelemetryTags.Source));
        Assert.Equal(CachePhase.Mandatory, cache.Phase);
    }

    [Fact]
    public async Task Heartbeat_WallClockAheadOfTheMonotonicExpiry_LogsAJump_ThenRefreshes()
    {
        var time = new SplitClock(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh };
        using var cache = new RefreshingCredentialCache(source, NoJitter, time, _kit.Telemetry(), () => 0.5, static r => r(), TimeSpan.FromSeconds(1));
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        time.WallOffset = TimeSpan.FromHours(2); // a suspend: the wall clock says expired, the monotonic clock says 60 min left
        time.Monotonic.Advance(TimeSpan.FromSeconds(1));
        await cache.PendingRefresh;

        FakeLogRecord jump = Single(107);
        Assert.Equal((LogLevel.Warning, "Scripted"), (jump.Level, State(jump, "SourceName")));
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task Heartbeat_ExpiryOnTheMonotonicClock_IsNoJump()
    {
        var source = new ScriptedCredentialSource(_time) { Next = ScriptedCredentialSource.Answer.Fresh };
        using var cache = new RefreshingCredentialCache(source, NoJitter, _time, _kit.Telemetry(), () => 0.5, static r => r(), TimeSpan.FromSeconds(1));
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        source.Next = ScriptedCredentialSource.Answer.Error;

        for (int second = 0; second < 3610; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(CachePhase.Expired, cache.Phase);
        Assert.Empty(Records(107));
    }

    [Fact]
    public async Task TimeUntilExpiry_NeverExpiringCredentials_NoAnswer()
    {
        var source = FakeCredentialSource.Returning(FakeCredentialSource.Credentials(sourceName: "Static"));
        using RefreshingCredentialCache cache = Cache(source);
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.False(((IExpiryObservable)cache).TryGetTimeUntilExpiry(out _, out string? sourceName));
        Assert.Equal("Static", sourceName);
    }

    private static CredentialCacheOptions NoJitter => new() { RefreshJitter = 0 };

    private RefreshingCredentialCache Cache(IAwsCredentialSource source, TimeSpan? heartbeat = null) =>
        new(source, NoJitter, _time, _kit.Telemetry(), () => 0.5, static r => r(), heartbeat ?? Timeout.InfiniteTimeSpan);

    /// <summary>A cache that fetched 1 h credentials, its heartbeat every <paramref name="heartbeat"/>; from then on the source fails.</summary>
    private async Task<(ScriptedCredentialSource Source, RefreshingCredentialCache Cache, AwsCredentials Cached)> FetchedThenFailingAsync(TimeSpan heartbeat)
    {
        var source = new ScriptedCredentialSource(_time) { Next = ScriptedCredentialSource.Answer.Fresh };
        RefreshingCredentialCache cache = Cache(source, heartbeat);
        AwsCredentials cached = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        source.Next = ScriptedCredentialSource.Answer.Error;
        _kit.Clear();
        return (source, cache, cached);
    }

    private IReadOnlyList<FakeLogRecord> Records(int id) => [.. _kit.Logs.GetSnapshot().Where(r => r.Id.Id == id)];

    private FakeLogRecord Single(int id) => Assert.Single(Records(id));

    private IReadOnlyList<(string Instrument, object Value, KeyValuePair<string, object?>[] Tags)> Measurements(string instrument) =>
        [.. _kit.Measurements.Where(m => m.Instrument == instrument)];

    private static string? State(FakeLogRecord record, string key) => record.StructuredState!.Single(p => p.Key == key).Value;

    private static double BackoffSeconds(FakeLogRecord record) =>
        double.Parse(State(record, "BackoffSeconds")!, CultureInfo.InvariantCulture);
}
