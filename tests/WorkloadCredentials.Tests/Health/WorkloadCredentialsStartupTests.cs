using Amazon.Extensions.NETCore.Setup;
using Amazon.S3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.DependencyInjection.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

namespace WorkloadCredentials.Tests.Health;

/// <summary>The start-up hosted service: warm-up success, failure (logged or fatal, listing every source), the bounded wait, and the SDK warning.</summary>
public sealed class WorkloadCredentialsStartupTests
{
    private const string Key = "AKIDWARMUPKEY00001";
    private const string Secret = "warm-up-secret-access-key-000001";

    [Fact]
    public async Task WarmUp_Resolves_FirstRequestIsASynchronousHit()
    {
        ServiceCollection services = Services();
        services.AddWorkloadCredentials(o => (o.StaticKeys.AccessKeyId, o.StaticKeys.SecretAccessKey) = (Key, Secret));
        await using ServiceProvider provider = services.BuildServiceProvider();

        await Startup(provider).StartAsync(TestContext.Current.CancellationToken);

        ValueTask<AwsCredentials> first = provider.GetRequiredService<IAwsCredentialSource>().GetCredentialsAsync(TestContext.Current.CancellationToken);
        Assert.True(first.IsCompletedSuccessfully);
        FakeLogRecord record = Assert.Single(provider.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "CredentialsWarmedUp");
        Assert.Contains("AKIDWARM***", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WarmUpOff_NothingResolved()
    {
        ServiceCollection services = Services();
        var source = FakeCredentialSource.Returning(FakeCredentialSource.Credentials());
        services.AddWorkloadCredentials(o => o.CustomSources.Add(source));
        services.Configure<WorkloadCredentialsStartupOptions>(o => o.WarmUp = false);
        await using ServiceProvider provider = services.BuildServiceProvider();

        await Startup(provider).StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, source.Calls);
    }

    [Fact]
    public async Task NothingResolves_Logged_StartUpGoesOn()
    {
        ServiceCollection services = Services();
        services.AddWorkloadCredentials(o => o.ExcludeInstanceMetadata = true);
        await using ServiceProvider provider = services.BuildServiceProvider();

        await Startup(provider).StartAsync(TestContext.Current.CancellationToken);

        FakeLogRecord record = Assert.Single(provider.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "CredentialsWarmUpFailed");
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Contains("Environment", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingResolves_FailWhenUnresolved_MessageListsEverySource()
    {
        ServiceCollection services = Services();
        services.AddWorkloadCredentials(o => o.ExcludeInstanceMetadata = true);
        services.AddWorkloadCredentials("backups", o => o.ExcludeInstanceMetadata = true);
        services.Configure<WorkloadCredentialsStartupOptions>(o => o.FailWhenUnresolved = true);
        await using ServiceProvider provider = services.BuildServiceProvider();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => Startup(provider).StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AWS credentials 'default'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS credentials 'backups'", error.Message, StringComparison.Ordinal);
        foreach (string source in new[] { "Environment", "Profile", "WebIdentity", "Container" })
        {
            Assert.Contains("- " + source + ": unavailable", error.Message, StringComparison.Ordinal);
        }

        Assert.Contains("AWS:Startup:FailWhenUnresolved", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourceNeverAnswers_BoundedWait_FailsAfterTheTimeout()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        ServiceCollection services = Services();
        services.AddSingleton<TimeProvider>(time);
        var hanging = new FakeCredentialSource(async ct =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        });
        services.AddWorkloadCredentials(o => o.CustomSources.Add(hanging));
        services.Configure<WorkloadCredentialsStartupOptions>(o => (o.FailWhenUnresolved, o.Timeout) = (true, TimeSpan.FromSeconds(20)));
        await using ServiceProvider provider = services.BuildServiceProvider();

        Task start = Startup(provider).StartAsync(TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => hanging.Calls == 1);
        time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(start.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => start);
        Assert.Contains("nothing resolved within 20 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sources:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAwsServiceWithoutAwsOptions_WarnsWithTheFix()
    {
        ServiceCollection services = Services();
        services.AddWorkloadCredentials(o => (o.StaticKeys.AccessKeyId, o.StaticKeys.SecretAccessKey) = (Key, Secret));
        services.AddAWSService<IAmazonS3>();
        await using ServiceProvider provider = services.BuildServiceProvider();

        await Startup(provider).StartAsync(TestContext.Current.CancellationToken);

        FakeLogRecord record = Assert.Single(provider.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "SdkClientsNotWired");
        Assert.Contains("IAmazonS3", record.Message, StringComparison.Ordinal);
        Assert.Contains("WorkloadCredentials.AwsSdk.Extensions", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAwsServiceWithAwsOptions_NoWarning()
    {
        ServiceCollection services = Services();
        services.AddWorkloadCredentials(o => (o.StaticKeys.AccessKeyId, o.StaticKeys.SecretAccessKey) = (Key, Secret));
        services.AddDefaultAWSOptions(sp => new AWSOptions { Credentials = sp.GetRequiredService<Amazon.Runtime.AWSCredentials>() });
        services.AddAWSService<IAmazonS3>();
        await using ServiceProvider provider = services.BuildServiceProvider();

        await Startup(provider).StartAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain(provider.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "SdkClientsNotWired");
    }

    private static ServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IEnvironment>(new TestEnvironment());
        services.AddLoopbackOnlyConnections();
        services.AddFakeLogging().AddLogging(b => b.AddSecretScan());
        return services;
    }

    private static WorkloadCredentialsStartup Startup(IServiceProvider provider) =>
        Assert.Single(provider.GetServices<IHostedService>().OfType<WorkloadCredentialsStartup>());

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }
}
