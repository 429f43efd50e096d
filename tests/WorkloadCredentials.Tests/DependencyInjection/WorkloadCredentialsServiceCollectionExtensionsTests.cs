using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.AwsSdk;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.DependencyInjection.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.DependencyInjection;

public sealed class WorkloadCredentialsServiceCollectionExtensionsTests
{
    private const string KeyA = "AKIADEFAULTKEY00001";
    private const string SecretA = "default-secret-value";
    private const string KeyB = "AKIABACKUPSKEY00001";
    private const string SecretB = "backups-secret-value";

    /// <summary>A collection with an empty environment, so that the machine's AWS_* variables never leak into a test.</summary>
    private static ServiceCollection CreateServices(TestEnvironment? environment = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IEnvironment>(environment ?? new TestEnvironment());
        services.AddLoopbackOnlyConnections();
        return services;
    }

    private static IConfigurationRoot Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public async Task AddWorkloadCredentials_NoArguments_RegistersTheCachedDefaultChainAndTheSdkAdapter()
    {
        ServiceCollection services = CreateServices(new TestEnvironment { ["AWS_ACCESS_KEY_ID"] = KeyA, ["AWS_SECRET_ACCESS_KEY"] = SecretA });
        services.AddWorkloadCredentials();
        using ServiceProvider provider = services.BuildServiceProvider();

        var cached = provider.GetRequiredService<ICachedAwsCredentialSource>();
        AwsCredentials credentials = await provider.GetRequiredService<IAwsCredentialSource>().GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Same(cached, provider.GetRequiredService<IAwsCredentialSource>());
        Assert.Equal(KeyA, credentials.AccessKeyId);
        var adapter = provider.GetRequiredService<WorkloadAwsCredentials>();
        Assert.Same(adapter, provider.GetRequiredService<AWSCredentials>());
        Assert.Same(cached, adapter.Source);
        Assert.Equal(KeyA, (await adapter.GetCredentialsAsync()).AccessKey);
    }

    [Fact]
    public async Task AddWorkloadCredentials_Action_ConfiguresTheOptions()
    {
        ServiceCollection services = CreateServices();
        services.AddWorkloadCredentials(o =>
        {
            o.StaticKeys.AccessKeyId = KeyA;
            o.StaticKeys.SecretAccessKey = SecretA;
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        AwsCredentials credentials = await provider.GetRequiredService<IAwsCredentialSource>().GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(KeyA, credentials.AccessKeyId);
        Assert.Equal("StaticKeys", credentials.SourceName);
    }

    [Fact]
    public async Task AddWorkloadCredentials_ConfigurationRoot_BindsTheAwsSection()
    {
        IConfigurationRoot configuration = Configuration(
            ("AWS:StaticKeys:AccessKeyId", KeyA), ("AWS:StaticKeys:SecretAccessKey", SecretA), ("AWS:StaticKeys:AccountId", "123456789012"),
            ("AWS:Region", "eu-west-1"), ("AWS:Cache:RefreshJitter", "0.25"), ("AWS:Cache:RefreshBeforeExpiry", "00:10:00"));
        ServiceCollection services = CreateServices();
        services.AddWorkloadCredentials(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        WorkloadCredentialsOptions options = provider.GetRequiredService<IOptions<WorkloadCredentialsOptions>>().Value;
        AwsCredentials credentials = await provider.GetRequiredService<IAwsCredentialSource>().GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("eu-west-1", options.Region);
        Assert.Equal(0.25, options.Cache.RefreshJitter);
        Assert.Equal(TimeSpan.FromMinutes(10), options.Cache.RefreshBeforeExpiry);
        Assert.Equal(KeyA, credentials.AccessKeyId);
        Assert.Equal("123456789012", credentials.AccountId);
    }

    [Fact]
    public void AddWorkloadCredentials_ConfigurationSection_BindsThatSection()
    {
        IConfigurationRoot configuration = Configuration(("Storage:Aws:Region", "us-west-2"), ("AWS:Region", "wrong"));
        ServiceCollection services = CreateServices();
        services.AddWorkloadCredentials(configuration.GetSection("Storage:Aws"));
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal("us-west-2", provider.GetRequiredService<IOptions<WorkloadCredentialsOptions>>().Value.Region);
    }

    [Fact]
    public void AddWorkloadCredentials_CalledManyTimes_RegistersOnceAndAppliesEveryConfiguration()
    {
        ServiceCollection services = CreateServices();
        services.AddWorkloadCredentials();
        services.AddWorkloadCredentials(o => o.Region = "eu-central-1");
        services.AddWorkloadCredentials(o => o.Profile = "ops");
        services.AddWorkloadCredentials();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(IAwsCredentialSource));
        Assert.Single(services, d => d.ServiceType == typeof(ICachedAwsCredentialSource));
        Assert.Single(services, d => d.ServiceType == typeof(AWSCredentials));
        Assert.Single(services, d => d.ServiceType == typeof(WorkloadCredentialsRegistry));
        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(IValidateOptions<WorkloadCredentialsOptions>)));
        WorkloadCredentialsOptions options = provider.GetRequiredService<IOptions<WorkloadCredentialsOptions>>().Value;
        Assert.Equal(("eu-central-1", "ops"), (options.Region, options.Profile));
    }

    [Fact]
    public void AddWorkloadCredentials_SourceRegisteredBefore_IsKept()
    {
        var mine = FakeCredentialSource.Returning(FakeCredentialSource.Credentials());
        ServiceCollection services = CreateServices();
        services.AddSingleton<IAwsCredentialSource>(mine);
        services.AddWorkloadCredentials();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<IAwsCredentialSource>());
    }

    [Fact]
    public void AddWorkloadCredentials_NullArguments_Throw()
    {
        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => WorkloadCredentialsServiceCollectionExtensions.AddWorkloadCredentials(null!)).ParamName);
        Assert.Equal("configure", Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddWorkloadCredentials((Action<WorkloadCredentialsOptions>)null!)).ParamName);
        Assert.Equal("configuration", Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddWorkloadCredentials((IConfiguration)null!)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new ServiceCollection().AddWorkloadCredentials(" ", _ => { })).ParamName);
    }

    [Fact]
    public async Task StartAsync_HalfSetKeysInConfiguration_FailsNamingTheKey()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new("AWS:StaticKeys:AccessKeyId", KeyA)]);
        builder.Services.AddSingleton<IEnvironment>(new TestEnvironment());
        builder.Services.AddLoopbackOnlyConnections();
        builder.Services.AddWorkloadCredentials(builder.Configuration);
        using IHost host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(["AWS:StaticKeys:SecretAccessKey is required when AWS:StaticKeys:AccessKeyId is set."], ex.Failures);
    }

    [Fact]
    public async Task StartAsync_InvalidDataAnnotation_FailsAtStart()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new("AWS:Cache:RefreshJitter", "1.5")]);
        builder.Services.AddWorkloadCredentials(builder.Configuration);
        using IHost host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("RefreshJitter", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void GetService_SecretWithoutKeyIdInCode_FailsNamingTheOptionNotTheSecret()
    {
        ServiceCollection services = CreateServices();
        services.AddWorkloadCredentials(o => o.StaticKeys.SecretAccessKey = SecretA);
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IAwsCredentialSource>);

        Assert.Equal(["StaticKeys.AccessKeyId is required when StaticKeys.SecretAccessKey is set."], ex.Failures);
        Assert.DoesNotContain(SecretA, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWorkloadCredentials_Named_ResolvedAsKeyedServices()
    {
        ServiceCollection services = CreateServices();
        services.AddWorkloadCredentials(o =>
        {
            o.StaticKeys.AccessKeyId = KeyA;
            o.StaticKeys.SecretAccessKey = SecretA;
        });
        services.AddWorkloadCredentials("backups", o =>
        {
            o.StaticKeys.AccessKeyId = KeyB;
            o.StaticKeys.SecretAccessKey = SecretB;
        });
        services.AddSingleton<BackupUploader>();
        using ServiceProvider provider = services.BuildServiceProvider();

        var uploader = provider.GetRequiredService<BackupUploader>();
        AwsCredentials backups = await uploader.Source.GetCredentialsAsync(TestContext.Current.CancellationToken);
        AwsCredentials unnamed = await provider.GetRequiredService<IAwsCredentialSource>().GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(KeyB, backups.AccessKeyId);
        Assert.Equal(KeyA, unnamed.AccessKeyId);
        Assert.Same(uploader.Source, provider.GetRequiredKeyedService<ICachedAwsCredentialSource>("backups"));
        var adapter = Assert.IsType<WorkloadAwsCredentials>(provider.GetRequiredKeyedService<AWSCredentials>("backups"));
        Assert.Same(uploader.Source, adapter.Source);
        Assert.Equal(KeyB, adapter.GetCredentials().AccessKey);
    }

    [Fact]
    public void AddWorkloadCredentials_OnlyNamed_NoUnkeyedSource()
    {
        ServiceCollection services = CreateServices();
        services.AddWorkloadCredentials("backups", _ => { });
        services.AddWorkloadCredentials("backups", _ => { });
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Null(provider.GetService<IAwsCredentialSource>());
        Assert.NotNull(provider.GetKeyedService<IAwsCredentialSource>("backups"));
        Assert.Single(services, d => d.ServiceType == typeof(IAwsCredentialSource) && d.IsKeyedService && Equals(d.ServiceKey, "backups"));
    }

    [Fact]
    public void GetKeyedService_NamedSectionWithHalfSetKeys_FailsNamingTheFullKey()
    {
        IConfigurationRoot configuration = Configuration(("AWS:Backups:StaticKeys:AccessKeyId", KeyB));
        ServiceCollection services = CreateServices();
        services.AddWorkloadCredentials("backups", configuration.GetSection("AWS:Backups"));
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<IAwsCredentialSource>("backups"));

        Assert.Equal(["AWS:Backups:StaticKeys:SecretAccessKey is required when AWS:Backups:StaticKeys:AccessKeyId is set."], ex.Failures);
    }

    [Fact]
    public void GetKeyedService_NamedInCodeWithHalfSetKeys_FailsNamingTheSource()
    {
        ServiceCollection services = CreateServices();
        services.AddWorkloadCredentials("backups", o => o.StaticKeys.AccessKeyId = KeyB);
        using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<IAwsCredentialSource>("backups"));

        Assert.Equal(["Credential source 'backups': StaticKeys.SecretAccessKey is required when StaticKeys.AccessKeyId is set."], ex.Failures);
    }

    [Fact]
    public void CreateContext_TimeProviderAndLoggerFactoryInTheContainer_AreUsed()
    {
        var time = new FakeTimeProvider();
        ServiceCollection services = CreateServices();
        services.AddSingleton<TimeProvider>(time);
        services.AddLogging(b => b.AddSecretScan());
        services.AddWorkloadCredentials();
        using ServiceProvider provider = services.BuildServiceProvider();

        CredentialSourceContext context = WorkloadCredentialsFactory.CreateContext(provider, Options.DefaultName);

        Assert.Same(time, context.TimeProvider);
        Assert.Same(provider.GetRequiredService<ILoggerFactory>(), context.LoggerFactory);
    }

    [Fact]
    public void CreateContext_NothingInTheContainer_FallsBackToSystemClockAndNoLogging()
    {
        var services = new ServiceCollection();
        services.AddWorkloadCredentials();
        using ServiceProvider provider = services.BuildServiceProvider();

        CredentialSourceContext context = WorkloadCredentialsFactory.CreateContext(provider, Options.DefaultName);

        Assert.Same(TimeProvider.System, context.TimeProvider);
        Assert.Same(NullLoggerFactory.Instance, context.LoggerFactory);
        Assert.Same(ProcessEnvironment.Instance, context.Environment);
    }

    [Fact]
    public async Task GetCredentialsAsync_FakeLoggingInTheContainer_ChainLogsTheChosenSourceOnceWithoutSecrets()
    {
        ServiceCollection services = CreateServices();
        services.AddFakeLogging().AddLogging(b => b.AddSecretScan());
        services.AddWorkloadCredentials(o =>
        {
            o.StaticKeys.AccessKeyId = KeyA;
            o.StaticKeys.SecretAccessKey = SecretA;
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        var source = provider.GetRequiredService<IAwsCredentialSource>();
        _ = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
        _ = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        IReadOnlyList<FakeLogRecord> logs = provider.GetFakeLogCollector().GetSnapshot();
        FakeLogRecord chosen = Assert.Single(logs, r => r.Id.Id == ChainLog.SourceChosenId);
        Assert.Contains("StaticKeys", chosen.Message, StringComparison.Ordinal);
        Assert.All(logs, r => Assert.DoesNotContain(SecretA, r.Message, StringComparison.Ordinal));
    }

    /// <remarks>
    /// The container disposes the cache once per registration that hands it out (ICachedAwsCredentialSource, IAwsCredentialSource,
    /// keyed and unkeyed), so the cache's Dispose must be idempotent.
    /// </remarks>
    [Fact]
    public async Task Dispose_AfterResolvingEveryRegistration_DoesNotThrow()
    {
        ServiceCollection services = CreateServices(new TestEnvironment { ["AWS_ACCESS_KEY_ID"] = KeyA, ["AWS_SECRET_ACCESS_KEY"] = SecretA });
        services.AddWorkloadCredentials();
        services.AddWorkloadCredentials("backups", _ => { });
        ServiceProvider provider = services.BuildServiceProvider();
        _ = await provider.GetRequiredService<IAwsCredentialSource>().GetCredentialsAsync(TestContext.Current.CancellationToken);
        _ = provider.GetRequiredService<ICachedAwsCredentialSource>();
        _ = provider.GetRequiredService<AWSCredentials>();
        _ = provider.GetRequiredKeyedService<IAwsCredentialSource>("backups");
        _ = provider.GetRequiredKeyedService<ICachedAwsCredentialSource>("backups");

        Exception? error = await Record.ExceptionAsync(() => provider.DisposeAsync().AsTask());

        Assert.Null(error);
    }

    private sealed class BackupUploader([FromKeyedServices("backups")] IAwsCredentialSource source)
    {
        public IAwsCredentialSource Source { get; } = source;
    }
}
