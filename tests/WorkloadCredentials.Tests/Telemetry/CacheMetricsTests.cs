using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Telemetry;

/// <summary>
/// The cache's instruments on a fake clock, read with <see cref="MetricCollector{T}"/> on a meter of the test's own: refreshes and
/// their duration (caller and background), the expiry gauge, stale serves after a failed refresh, invalidations; and a cache hit
/// records nothing at all.
/// </summary>
public sealed class CacheMetricsTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);

    [Fact]
    public async Task CallerRefresh_Succeeds_CountsOneRefreshWithItsTagsAndTheFetchTimeOnTheFakeClock()
    {
        using var kit = new TelemetryTestKit();
        using var refreshes = new MetricCollector<long>(kit.Instruments.Meter, CredentialInstruments.Refreshes);
        using var durations = new MetricCollector<double>(kit.Instruments.Meter, CredentialInstruments.RefreshDuration);
        var source = new FakeCredentialSource(_ =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(1500)); // the fetch takes 1.5 s of (fake) time
            return new ValueTask<AwsCredentials>(FakeCredentialSource.Credentials(sourceName: "Slow", expiration: _time.GetUtcNow().AddHours(1)));
        });
        using RefreshingCredentialCache cache = Cache(source, kit);

        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        CollectedMeasurement<long> refresh = Assert.Single(refreshes.GetMeasurementSnapshot());
        Assert.Equal(1, refresh.Value);
        Assert.True(refresh.HasTags(
            (TelemetryTags.Source, "Slow"), (TelemetryTags.Trigger, "caller"), (TelemetryTags.Outcome, "success")));
        Assert.False(refresh.ContainsTags(TelemetryTags.ErrorType));
        CollectedMeasurement<double> duration = Assert.Single(durations.GetMeasurementSnapshot());
        Assert.Equal(1.5, duration.Value, precision: 6);
        Assert.Equal("s", durations.Instrument!.Unit);
        Assert.Equal(101, Assert.Single(kit.Logs.GetSnapshot(), r => r.Id.Id == 101).Id.Id);
    }

    [Fact]
    public async Task HeartbeatRefresh_InTheAdvisoryWindow_IsCountedAsBackground()
    {
        using var kit = new TelemetryTestKit();
        using var refreshes = new MetricCollector<long>(kit.Instruments.Meter, CredentialInstruments.Refreshes);
        var source = new FakeCredentialSource(_ => new ValueTask<AwsCredentials>(
            FakeCredentialSource.Credentials(sourceName: "Hourly", expiration: _time.GetUtcNow().AddHours(1))));
        using RefreshingCredentialCache cache = Cache(source, kit, heartbeat: TimeSpan.FromSeconds(1));
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        _time.Advance(TimeSpan.FromMinutes(50)); // 10 minutes left: inside the 15-minute advisory window
        await cache.PendingRefresh;

        Assert.Equal(2, source.Calls);
        Assert.Equal(["caller", "background"], refreshes.GetMeasurementSnapshot().Select(m => m.Tags[TelemetryTags.Trigger]));
        Assert.All(refreshes.GetMeasurementSnapshot(), m => Assert.Equal("success", m.Tags[TelemetryTags.Outcome]));
    }

    [Fact]
    public async Task FailedRefreshes_WithCredentialsCached_AreCountedAsFailures_AndEveryCallServedTheCachedOnesIsAStaleServe()
    {
        using var kit = new TelemetryTestKit();
        using var refreshes = new MetricCollector<long>(kit.Instruments.Meter, CredentialInstruments.Refreshes);
        using var stale = new MetricCollector<long>(kit.Instruments.Meter, CredentialInstruments.StaleServes);
        bool fail = false;
        var source = new FakeCredentialSource(_ => fail
            ? ValueTask.FromException<AwsCredentials>(new AwsCredentialException("Flaky: the endpoint answered 503.", "Flaky", isRecoverable: true))
            : new ValueTask<AwsCredentials>(FakeCredentialSource.Credentials(sourceName: "Flaky", expiration: _time.GetUtcNow().AddHours(1))));
        using RefreshingCredentialCache cache = Cache(source, kit, heartbeat: TimeSpan.FromSeconds(1));
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        fail = true;

        // The heartbeat's background refreshes fail from the advisory window on; then, 30 s before expiry (the mandatory window), each
        // caller is served the cached credentials: during a backoff, or after the refresh it started failed.
        _time.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(30));
        await cache.PendingRefresh;
        Assert.Empty(stale.GetMeasurementSnapshot()); // nobody was served yet: background failures alone are no stale serve
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        IReadOnlyList<CollectedMeasurement<long>> counted = refreshes.GetMeasurementSnapshot();
        Assert.True(counted[0].HasTags((TelemetryTags.Trigger, "caller"), (TelemetryTags.Outcome, "success")));
        Assert.True(counted.Count >= 2, $"{counted.Count} refreshes");
        Assert.All(counted.Skip(1), m => Assert.True(m.HasTags(
            (TelemetryTags.Source, "Flaky"), (TelemetryTags.Outcome, "failure"), (TelemetryTags.ErrorType, nameof(AwsCredentialException)))));
        Assert.Contains(counted, m => m.HasTags((TelemetryTags.Trigger, "background")));
        Assert.Equal(2, stale.GetMeasurementSnapshot().Count);
        Assert.All(stale.GetMeasurementSnapshot(), m => Assert.True(m.HasTags((TelemetryTags.Source, "Flaky"), (TelemetryTags.Expired, false))));
        Assert.Contains(kit.Logs.GetSnapshot(), r => r.Id.Id == 102);
    }

    [Fact]
    public async Task TimeUntilExpiryGauge_ReadsEachLiveCache_AndForgetsADisposedOne()
    {
        using var kit = new TelemetryTestKit();
        using var gauge = new MetricCollector<double>(kit.Instruments.Meter, CredentialInstruments.TimeUntilExpiry);
        var source = FakeCredentialSource.Returning(FakeCredentialSource.Credentials(sourceName: "Expiring", expiration: Start.AddHours(1)));
        RefreshingCredentialCache cache = Cache(source, kit);
        gauge.RecordObservableInstruments();
        Assert.Empty(gauge.GetMeasurementSnapshot()); // nothing cached yet

        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(10));
        gauge.RecordObservableInstruments();

        CollectedMeasurement<double> remaining = Assert.Single(gauge.GetMeasurementSnapshot());
        Assert.Equal(50 * 60, remaining.Value, precision: 3);
        Assert.True(remaining.HasTags((TelemetryTags.Source, "Expiring")));
        Assert.Equal("s", gauge.Instrument!.Unit);

        cache.Dispose();
        gauge.Clear();
        gauge.RecordObservableInstruments();
        Assert.Empty(gauge.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task Invalidate_TheCachedKey_CountsOneInvalidation_AnotherKey_CountsNothing()
    {
        using var kit = new TelemetryTestKit();
        using var invalidations = new MetricCollector<long>(kit.Instruments.Meter, CredentialInstruments.Invalidations);
        var source = FakeCredentialSource.Returning(FakeCredentialSource.Credentials("AKIDINVALIDATED0001", "Rejected", Start.AddHours(1)));
        using RefreshingCredentialCache cache = Cache(source, kit);
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        cache.Invalidate("AKIDSOMEOTHERKEY0001");
        cache.Invalidate("AKIDINVALIDATED0001");

        CollectedMeasurement<long> invalidation = Assert.Single(invalidations.GetMeasurementSnapshot());
        Assert.True(invalidation.HasTags((TelemetryTags.Source, "Rejected")));
        Assert.DoesNotContain("AKIDINVALIDATED0001", kit.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CacheHit_RecordsNoMeasurementNoSpanAndNoLog()
    {
        using var kit = new TelemetryTestKit();
        var source = FakeCredentialSource.Returning(FakeCredentialSource.Credentials(sourceName: "Hot", expiration: Start.AddHours(1)));
        using RefreshingCredentialCache cache = Cache(source, kit);
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        Assert.NotEmpty(kit.Measurements); // the refresh was observed: the listeners work
        Assert.NotEmpty(kit.Spans);
        kit.Clear();

        for (int i = 0; i < 1000; i++)
        {
            ValueTask<AwsCredentials> hit = cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
            Assert.True(hit.IsCompletedSuccessfully);
        }

        Assert.Equal(1, source.Calls);
        Assert.Empty(kit.Measurements);
        Assert.Empty(kit.Spans);
        Assert.Empty(kit.Logs.GetSnapshot());
    }

    private RefreshingCredentialCache Cache(IAwsCredentialSource source, TelemetryTestKit kit, TimeSpan? heartbeat = null) =>
        new(source, new CredentialCacheOptions { RefreshJitter = 0 }, _time, kit.Telemetry(), () => 0.5, static refresh => refresh(), heartbeat ?? TimeSpan.FromDays(1));
}
