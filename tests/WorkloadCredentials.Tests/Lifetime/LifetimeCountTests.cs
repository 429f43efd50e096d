using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Lifetime;

[CollectionDefinition(nameof(LifetimeCountCollection), DisableParallelization = true)]
public sealed class LifetimeCountCollection;

/// <summary>
/// Issue 10, item 2, the counts: create/fetch/dispose cycles of the default chain and of a named DI source, each fetch over a real
/// loopback connection, leave no timers, threads or sockets behind, before any garbage collection and after one. Alone in its
/// collection (no other test runs meanwhile), since the counts are the process's. CI runs <see cref="ProcessResources.Cycles"/>;
/// the full 10,000: <c>WORKLOADCREDENTIALS_LIFETIME_CYCLES=10000</c>.
/// </summary>
[Collection(nameof(LifetimeCountCollection))]
public sealed class LifetimeCountTests
{
    /// <summary>Allowed above the start: a pooled connection being reaped, a timer of the runner; a leak grows with the cycles.</summary>
    private const int TimerTolerance = 3;
    private const int SocketTolerance = 4;

    /// <summary>During the cycles: the cycle's client socket and the server's end, closing; a source left undisposed holds its connection until a GC.</summary>
    private const int PeakSocketTolerance = 6;

    /// <summary>The thread pool grows under load and shrinks only after idling; a leak per cycle would be thousands.</summary>
    private const int ThreadTolerance = 24;

    private const string KeyId = "ASIALIFETIMECYCLE001";

    [Fact]
    public async Task DefaultChain_CreateFetchDisposeCycles_AgainstLoopbackImds_LeaveNothingBehind()
    {
        var connections = new ConcurrentDictionary<string, bool>();
        await using LoopbackHttpServer imds = await LoopbackHttpServer.StartAsync(context => AnswerImdsAsync(context, connections), TestContext.Current.CancellationToken);
        var options = new WorkloadCredentialsOptions();
        options.InstanceMetadata.Endpoint = imds.Endpoint;
        options.InstanceMetadata.Disabled = false;
        var environment = new DictionaryEnvironment();

        async Task CycleAsync()
        {
            using RefreshingCredentialCache cache = AwsCredentialSources.CreateDefault(NetworkSafety.Guarded(options, environment, TimeProvider.System, NullLoggerFactory.Instance));
            Assert.Equal(KeyId, (await cache.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
        }

        await MeasureAsync("default chain (IMDS)", CycleAsync, connections);
    }

    [Fact]
    public async Task NamedDiSource_BuildResolveFetchDisposeCycles_AgainstLoopbackContainer_LeaveNothingBehind()
    {
        var connections = new ConcurrentDictionary<string, bool>();
        await using LoopbackHttpServer container = await LoopbackHttpServer.StartAsync(context => AnswerImdsAsync(context, connections), TestContext.Current.CancellationToken);
        var environment = new DictionaryEnvironment();

        async Task CycleAsync()
        {
            var services = new ServiceCollection();
            services.AddSingleton<IEnvironment>(environment);
            services.AddLoopbackOnlyConnections();
            services.AddWorkloadCredentials("backups", o =>
            {
                o.Container.FullUri = new Uri(container.Endpoint, "/v1/credentials");
                o.InstanceMetadata.Disabled = true;
            });
            await using ServiceProvider provider = services.BuildServiceProvider();
            IAwsCredentialSource source = provider.GetRequiredKeyedService<IAwsCredentialSource>("backups");
            Assert.Equal(KeyId, (await source.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
        }

        await MeasureAsync("named DI source (container)", CycleAsync, connections);
    }

    private static async Task MeasureAsync(string scenario, Func<Task> cycle, ConcurrentDictionary<string, bool> connections)
    {
        // One warm-up cycle (JIT, the server's first connection, the pool's first threads), then the baseline.
        await cycle();
        ProcessResources start = await ProcessResources.SettledAsync(ProcessResources.Now(), collect: true);
        int cycles = ProcessResources.Cycles;
        var stopwatch = Stopwatch.StartNew();
        long peakTimers = start.Timers;
        int peakSockets = start.Sockets;
        for (int i = 0; i < cycles; i++)
        {
            await cycle();
            if (i % 25 == 0)
            {
                // Sampled during the cycles: what a cycle left open until a garbage collection happens to reap it shows here.
                ProcessResources now = ProcessResources.Now();
                peakTimers = Math.Max(peakTimers, now.Timers);
                peakSockets = Math.Max(peakSockets, now.Sockets);
            }
        }

        stopwatch.Stop();
        ProcessResources withoutCollection = await ProcessResources.SettledAsync(start, collect: false);
        ProcessResources afterCollection = await ProcessResources.SettledAsync(start, collect: true);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{scenario}: {cycles} cycles in {stopwatch.Elapsed.TotalSeconds:F1} s, {connections.Count} connections served; start {start}; peak during the cycles timers={peakTimers} sockets={peakSockets}; after, no GC: {withoutCollection}; after a GC: {afterCollection}");

        // Every cycle opened its own connection (a client per chain), so the cycles really exercised sockets.
        Assert.True(connections.Count > cycles, $"{connections.Count} connections for {cycles} cycles");
        Assert.InRange(peakTimers, 0, start.Timers + TimerTolerance);
        Assert.InRange(peakSockets, 0, start.Sockets + PeakSocketTolerance);
        foreach (ProcessResources after in new[] { withoutCollection, afterCollection })
        {
            Assert.InRange(after.Timers, 0, start.Timers + TimerTolerance);
            Assert.InRange(after.Sockets, 0, start.Sockets + SocketTolerance);
            Assert.InRange(after.Threads, 0, start.Threads + ThreadTolerance);
        }
    }

    /// <summary>IMDS (token, role listing, legacy credentials) and the container endpoint: one credentials document for both.</summary>
    private static Task AnswerImdsAsync(HttpContext context, ConcurrentDictionary<string, bool> connections)
    {
        connections.TryAdd(context.Connection.Id, true);
        string path = context.Request.Path.Value ?? string.Empty;
        if (HttpMethods.IsPut(context.Request.Method))
        {
            context.Response.Headers["X-aws-ec2-metadata-token-ttl-seconds"] = "21600";
            return context.Response.WriteAsync("lifetime-imds-token");
        }

        if (path == "/latest/meta-data/iam/security-credentials/")
        {
            return context.Response.WriteAsync("lifetime-role");
        }

        if (path.StartsWith("/latest/meta-data/iam/security-credentials-extended/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        string expiration = DateTimeOffset.UtcNow.AddHours(6).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        return context.Response.WriteAsync(
            $$"""{"Code":"Success","AccessKeyId":"{{KeyId}}","SecretAccessKey":"lifetime-cycle-SECRET-do-not-log","Token":"lifetime-cycle-TOKEN","Expiration":"{{expiration}}"}""");
    }
}
