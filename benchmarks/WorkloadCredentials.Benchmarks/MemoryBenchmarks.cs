using Amazon.Runtime;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using WorkloadCredentials.Benchmarks.Fakes;

namespace WorkloadCredentials.Benchmarks;

/// <summary>
/// Memory: the bytes one cache costs to build (and to build and fill), one named source registered with dependency injection
/// and resolved (the figure per source is the difference between ten and one, divided by nine), and what one refresh allocates,
/// ours (the public cache, invalidated and asked again) against AWSSDK.Core's <see cref="RefreshingAWSCredentials"/>
/// (<see cref="RefreshingAWSCredentials.ClearCredentials"/>, then asked again). Both sources answer at once with fresh credentials,
/// so a refresh row counts the refresh machinery plus one set of credentials.
/// </summary>
[MemoryDiagnoser]
public class MemoryBenchmarks
{
    private ICachedAwsCredentialSource _cache = null!;
    private FixedRefreshingCredentials _sdkRefreshing = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cache = AwsCredentialSources.Cache(new OneHourSource());
        _ = _cache.GetCredentialsAsync().AsTask().GetAwaiter().GetResult();
        _sdkRefreshing = new FixedRefreshingCredentials();
        _ = _sdkRefreshing.GetCredentials();
    }

    [GlobalCleanup]
    public void Cleanup() => _cache.Dispose();

    [Benchmark(Description = "Cache_Construct")]
    public void CacheConstruct()
    {
        using ICachedAwsCredentialSource cache = AwsCredentialSources.Cache(new OneHourSource());
    }

    [Benchmark(Description = "Cache_ConstructAndFill")]
    public async Task<string> CacheConstructAndFill()
    {
        using ICachedAwsCredentialSource cache = AwsCredentialSources.Cache(new OneHourSource());
        return (await cache.GetCredentialsAsync().ConfigureAwait(false)).AccessKeyId;
    }

    [Benchmark(Description = "DI_Container_NoSource")]
    public int DiNoSource()
    {
        using ServiceProvider provider = new ServiceCollection().BuildServiceProvider();
        return provider.GetHashCode();
    }

    [Benchmark(Description = "DI_OneNamedSource_Resolved")]
    public Task<string> DiOneNamedSource() => ResolveNamedAsync(1);

    [Benchmark(Description = "DI_TenNamedSources_Resolved")]
    public Task<string> DiTenNamedSources() => ResolveNamedAsync(10);

    [Benchmark(Baseline = true, Description = "AwsSdkRefreshing_OneRefresh")]
    public string AwsSdkOneRefresh()
    {
        _sdkRefreshing.ClearCredentials();
        return _sdkRefreshing.GetCredentials().AccessKey;
    }

    [Benchmark(Description = "Ours_OneRefresh")]
    public async Task<string> OursOneRefresh()
    {
        _cache.Invalidate("AKIDEXAMPLE");
        return (await _cache.GetCredentialsAsync().ConfigureAwait(false)).AccessKeyId;
    }

    private static async Task<string> ResolveNamedAsync(int count)
    {
        var services = new ServiceCollection();
        for (int i = 0; i < count; i++)
        {
            _ = services.AddWorkloadCredentials(Name(i), options =>
            {
                options.StaticKeys.AccessKeyId = "AKIDNAMED";
                options.StaticKeys.SecretAccessKey = "named-secret";
            });
        }

        await using ServiceProvider provider = services.BuildServiceProvider();
        string last = string.Empty;
        for (int i = 0; i < count; i++)
        {
            ICachedAwsCredentialSource source = provider.GetRequiredKeyedService<ICachedAwsCredentialSource>(Name(i));
            last = (await source.GetCredentialsAsync().ConfigureAwait(false)).AccessKeyId;
        }

        return last;
    }

    private static string Name(int index) => index switch
    {
        0 => "n0", 1 => "n1", 2 => "n2", 3 => "n3", 4 => "n4", 5 => "n5", 6 => "n6", 7 => "n7", 8 => "n8", _ => "n9",
    };
}
