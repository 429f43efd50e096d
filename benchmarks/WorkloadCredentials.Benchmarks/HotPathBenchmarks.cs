using System.Diagnostics;
using System.Diagnostics.Metrics;
using Amazon.Runtime;
using BenchmarkDotNet.Attributes;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.AwsSdk;
using WorkloadCredentials.Benchmarks.Fakes;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;

namespace WorkloadCredentials.Benchmarks;

/// <summary>
/// The hot path: a cache hit, ours beside the AWS SDK's own providers in the same process.
/// Rows named AwsSdk* are AWSSDK.Core's; every other row is ours. The library's meter and activity source are listened to (as an
/// OpenTelemetry SDK would), so the rows show that a cache hit records nothing even with metrics and tracing on.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private RefreshingCredentialCache _cache = null!;
    private WorkloadAwsCredentials _adapter = null!;
    private FixedRefreshingCredentials _sdkRefreshing = null!;
    private BasicAWSCredentials _sdkBasic = null!;
    private MeterListener _meters = null!;
    private ActivityListener _activities = null!;

    [GlobalSetup]
    public void Setup()
    {
        _meters = new MeterListener
        {
            InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Meter.Name == CredentialInstruments.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _meters.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        _meters.Start();
        _activities = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == CredentialInstruments.MeterName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_activities);
        var source = new OneHourSource();
        _cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), TimeProvider.System, CredentialTelemetry.Null);
        _ = _cache.GetCredentialsAsync().AsTask().GetAwaiter().GetResult();
        _adapter = new WorkloadAwsCredentials(_cache);
        _ = _adapter.GetCredentials();
        _sdkRefreshing = new FixedRefreshingCredentials();
        _ = _sdkRefreshing.GetCredentials();
        _sdkBasic = new BasicAWSCredentials("AKIDEXAMPLE", "secret");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Dispose();
        _meters.Dispose();
        _activities.Dispose();
    }

    [Benchmark(Description = "GetCredentialsAsync_CacheHit")]
    public AwsCredentials GetCredentialsAsync_CacheHit()
    {
        ValueTask<AwsCredentials> task = _cache.GetCredentialsAsync();
        return task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "GetCredentialsAsync_CacheHit_Awaited")]
    public async ValueTask<AwsCredentials> GetCredentialsAsync_CacheHit_Awaited() => await _cache.GetCredentialsAsync().ConfigureAwait(false);

    [Benchmark(Description = "SdkAdapter_GetCredentials")]
    public ImmutableCredentials SdkAdapter_GetCredentials() => _adapter.GetCredentials();

    [Benchmark(Description = "SdkAdapter_GetCredentialsAsync")]
    public Task<ImmutableCredentials> SdkAdapter_GetCredentialsAsync() => _adapter.GetCredentialsAsync();

    [Benchmark(Baseline = true, Description = "AwsSdkRefreshing_GetCredentials")]
    public ImmutableCredentials AwsSdkRefreshing_GetCredentials() => _sdkRefreshing.GetCredentials();

    [Benchmark(Description = "AwsSdkRefreshing_GetCredentialsAsync")]
    public Task<ImmutableCredentials> AwsSdkRefreshing_GetCredentialsAsync() => _sdkRefreshing.GetCredentialsAsync();

    [Benchmark(Description = "AwsSdkBasic_GetCredentials")]
    public ImmutableCredentials AwsSdkBasic_GetCredentials() => _sdkBasic.GetCredentials();
}
