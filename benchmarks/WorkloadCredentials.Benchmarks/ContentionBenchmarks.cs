using Amazon.Runtime;
using BenchmarkDotNet.Attributes;
using WorkloadCredentials.AwsSdk;
using WorkloadCredentials.Benchmarks.Fakes;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Benchmarks;

/// <summary>
/// Contention: 64 tasks (on however few cores the machine has) each getting credentials and signing a request, over and over.
/// Ours (the cache, and the SDK adapter over it) against AWSSDK.Core's <see cref="RefreshingAWSCredentials"/> (a subclass returning
/// credentials with an hour to live). One operation is one get (and sign, when <see cref="Sign"/>) by one task. The latency of callers while a slow refresh
/// is under way is measured separately: <c>-- refresh-latency</c> (see <see cref="RefreshLatency"/>).
/// </summary>
[MemoryDiagnoser]
public class ContentionBenchmarks
{
    private const int Tasks = 64;
    private const int CallsPerTask = 256;

    private RefreshingCredentialCache _cache = null!;
    private WorkloadAwsCredentials _adapter = null!;
    private FixedRefreshingCredentials _sdkRefreshing = null!;

    /// <summary>Gets or sets a value indicating whether each call also signs a request (SigV4 key derivation and signature), or only gets credentials.</summary>
    [Params(true, false)]
    public bool Sign { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cache = new RefreshingCredentialCache(new OneHourSource(), new CredentialCacheOptions(), TimeProvider.System, CredentialTelemetry.Null);
        _ = _cache.GetCredentialsAsync().AsTask().GetAwaiter().GetResult();
        _adapter = new WorkloadAwsCredentials(_cache);
        _ = _adapter.GetCredentials();
        _sdkRefreshing = new FixedRefreshingCredentials();
        _ = _sdkRefreshing.GetCredentials();
    }

    [GlobalCleanup]
    public void Cleanup() => _cache.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Tasks * CallsPerTask, Description = "AwsSdkRefreshing_GetCredentialsAsync")]
    public Task AwsSdkRefreshing() => RunAsync(SdkLoopAsync, _sdkRefreshing, Sign);

    [Benchmark(OperationsPerInvoke = Tasks * CallsPerTask, Description = "Ours_SdkAdapter_GetCredentialsAsync")]
    public Task OursAdapter() => RunAsync(SdkLoopAsync, _adapter, Sign);

    [Benchmark(OperationsPerInvoke = Tasks * CallsPerTask, Description = "Ours_Cache_GetCredentialsAsync")]
    public Task OursCache() => RunAsync(CacheLoopAsync, _cache, Sign);

    private static Task RunAsync<T>(Func<T, bool, Task<int>> loop, T credentials, bool sign)
    {
        var tasks = new Task[Tasks];
        for (int t = 0; t < Tasks; t++)
        {
            tasks[t] = Task.Run(() => loop(credentials, sign));
        }

        return Task.WhenAll(tasks);
    }

    private static async Task<int> SdkLoopAsync(AWSCredentials credentials, bool sign)
    {
        int sink = 0;
        for (int i = 0; i < CallsPerTask; i++)
        {
            ImmutableCredentials current = await credentials.GetCredentialsAsync().ConfigureAwait(false);
            sink += sign ? RequestSigning.Sign(current.SecretKey) : current.SecretKey.Length;
        }

        return sink;
    }

    private static async Task<int> CacheLoopAsync(RefreshingCredentialCache cache, bool sign)
    {
        int sink = 0;
        for (int i = 0; i < CallsPerTask; i++)
        {
            AwsCredentials current = await cache.GetCredentialsAsync().ConfigureAwait(false);
            sink += sign ? RequestSigning.Sign(current.SecretAccessKey) : current.SecretAccessKey.Length;
        }

        return sink;
    }
}
