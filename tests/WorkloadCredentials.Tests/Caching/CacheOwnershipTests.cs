using Microsoft.Extensions.Logging.Abstractions;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.Caching;

/// <summary>
/// Issue 9, item 11 and issue 10, item 2: disposing a cache disposes the sources behind it (their HTTP clients and sockets), and a
/// chain disposes the sources it owns; the options' custom sources stay the application's.
/// </summary>
public sealed class CacheOwnershipTests
{
    private const string ContainerKeyId = "ASIAOWNERSHIPCYCLE01";

    [Fact]
    public async Task CreateDefault_ThousandCreateFetchDisposeCycles_OpenSocketsStayFlat()
    {
        const int cycles = 1000;
        string json = $$"""{"AccessKeyId":"{{ContainerKeyId}}","SecretAccessKey":"ownership-cycle-SECRET-do-not-log","Token":"ownership-cycle-TOKEN","Expiration":"{{DateTimeOffset.UtcNow.AddHours(6):yyyy-MM-ddTHH:mm:ssZ}}"}""";
        using var server = new ConnectionCountingHttpServer(json);
        var environment = new TestEnvironment();
        environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = new Uri(server.Endpoint, "/v1/credentials").ToString();

        for (int i = 0; i < cycles; i++)
        {
            var context = NetworkSafety.Guarded(new WorkloadCredentialsOptions(), environment, TimeProvider.System, NullLoggerFactory.Instance);
            using RefreshingCredentialCache cache = AwsCredentialSources.CreateDefault(context);
            AwsCredentials credentials = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
            Assert.Equal(ContainerKeyId, credentials.AccessKeyId);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{cycles} create/fetch/dispose cycles: {server.AcceptedConnections} connections accepted, {server.PeakOpenConnections} open at once");
        Assert.Equal(cycles, server.Requests);

        // One connection per cache (each cache is a new client), closed with the cache: never hundreds open waiting for a GC.
        Assert.InRange(server.PeakOpenConnections, 1, 8);
    }

    [Fact]
    public async Task Dispose_OwnedInner_IsDisposed_AndCacheOwnsTheSourceHandedToIt()
    {
        var owned = new DisposableSource();
        var handed = new DisposableSource();
        using (var cache = new RefreshingCredentialCache(owned, new CredentialCacheOptions(), TimeProvider.System, new CredentialTelemetry(SecretScanLogging.Logger), ownsInner: true))
        {
            _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        }

        // AwsCredentialSources.Cache takes ownership, as a StreamReader of its stream (STYLE R30).
        using (ICachedAwsCredentialSource cache = AwsCredentialSources.Cache(handed))
        {
            _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, owned.Disposed);
        Assert.Equal(1, handed.Disposed);
    }

    [Fact]
    public void CredentialChain_Dispose_DisposesOnlyTheSourcesItBuilt()
    {
        var builtIn = new DisposableSource();
        var custom = new DisposableSource();
        var chain = new CredentialChain([new ChainLink("Custom", custom), new ChainLink("BuiltIn", builtIn, Owned: true)], CredentialTelemetry.Null);

        chain.Dispose();

        Assert.Equal(1, builtIn.Disposed);
        Assert.Equal(0, custom.Disposed);
    }

    [Fact]
    public void Cache_RefreshTimeoutOutOfRange_ArgumentOutOfRangeNamingTheOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => AwsCredentialSources.Cache(new DisposableSource(), new CredentialCacheOptions { RefreshTimeout = TimeSpan.FromMilliseconds(10) }));
        Assert.Contains("RefreshTimeout", error.Message, StringComparison.Ordinal);
    }

    private sealed class DisposableSource : IAwsCredentialSource
    {
        private int _disposed;

        public int Disposed => Volatile.Read(ref _disposed);

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) =>
            new(new AwsCredentials("AKIDDISPOSABLE01", "disposable-secret", null, DateTimeOffset.UtcNow.AddHours(1), "Disposable"));

        public void Dispose() => Interlocked.Increment(ref _disposed);
    }
}
