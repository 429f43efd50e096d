using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Caching;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.DependencyInjection;

/// <summary>
/// <c>AddWorkloadCredentials(IConfiguration)</c> through the container, as an app uses it: the library's own (source-generated)
/// binding of the nested STS, web identity and assume-role options reaches the STS request; start-up validation names the
/// configuration key of the section the options came from; the container's <see cref="TimeProvider"/> drives the cache.
/// </summary>
public sealed class WorkloadCredentialsStsConfigurationTests
{
    private const string KeyId = "AKIACONFIGKEY000001";
    private const string Secret = "config-secret-value-SENTINEL";
    private const string RoleArn = "arn:aws:iam::210987654321:role/customer-role";
    private const string BackupsRoleArn = "arn:aws:iam::210987654321:role/backups-role";
    private static readonly DateTimeOffset Expiration = new(2035, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AddWorkloadCredentials_ConfigurationRoot_NestedAssumeRoleOptionsReachTheStsRequest()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Ok(StsXml.AssumeRole("ASIAROLE", "role-secret", "role-token", Expiration)));
        IConfigurationRoot configuration = Configuration(
            ("AWS:Region", "eu-west-1"),
            ("AWS:StaticKeys:AccessKeyId", KeyId),
            ("AWS:StaticKeys:SecretAccessKey", Secret),
            ("AWS:Sts:EndpointUrl", sts.Endpoint.ToString()),
            ("AWS:Sts:AttemptTimeout", "00:00:02"),
            ("AWS:Sts:TotalTimeout", "00:00:05"),
            ("AWS:Sts:MaxRetryAttempts", "1"),
            ("AWS:AssumeRole:RoleArn", RoleArn),
            ("AWS:AssumeRole:ExternalId", "customer-7f3a"),
            ("AWS:AssumeRole:RoleSessionName", "management"),
            ("AWS:AssumeRole:Duration", "00:45:00"),
            ("AWS:AssumeRole:Policy", """{"Version":"2012-10-17","Statement":[]}"""),
            ("AWS:AssumeRole:Tags:team", "backup"),
            ("AWS:AssumeRole:SourceIdentity", "ops"),
            ("AWS:WebIdentity:RoleArn", "arn:aws:iam::123456789012:role/pod-role"),
            ("AWS:WebIdentity:WebIdentityTokenFile", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"),
            ("AWS:WebIdentity:RoleSessionName", "pod"),
            ("AWS:WebIdentity:Duration", "02:00:00"));
        var services = new ServiceCollection();
        services.AddSingleton<IEnvironment>(new TestEnvironment());
        services.AddLoopbackOnlyConnections();
        services.AddWorkloadCredentials(configuration);
        await using ServiceProvider provider = services.BuildServiceProvider();

        WorkloadCredentialsOptions options = provider.GetRequiredService<IOptions<WorkloadCredentialsOptions>>().Value;
        AwsCredentials credentials = await provider.GetRequiredService<IAwsCredentialSource>().GetCredentialsAsync(ct);

        Assert.Equal(("arn:aws:iam::123456789012:role/pod-role", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token", "pod", TimeSpan.FromHours(2)),
            (options.WebIdentity.RoleArn, options.WebIdentity.WebIdentityTokenFile, options.WebIdentity.RoleSessionName, options.WebIdentity.Duration));
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), 1), (options.Sts.AttemptTimeout, options.Sts.TotalTimeout, options.Sts.MaxRetryAttempts));

        // The role wraps the explicit keys (keys -> assume role with an External ID): every bound setting is on the wire.
        Assert.Equal(("ASIAROLE", "AssumeRole", RoleArn), (credentials.AccessKeyId, credentials.SourceName, credentials.RoleArn));
        StsRecordedRequest request = Assert.Single(sts.Requests);
        Assert.Equal("AssumeRole", request.Action);
        Assert.Equal(RoleArn, request.Form["RoleArn"]);
        Assert.Equal("customer-7f3a", request.Form["ExternalId"]);
        Assert.Equal("management", request.Form["RoleSessionName"]);
        Assert.Equal("2700", request.Form["DurationSeconds"]);
        Assert.Equal("""{"Version":"2012-10-17","Statement":[]}""", request.Form["Policy"]);
        Assert.Equal(("team", "backup"), (request.Form["Tags.member.1.Key"], request.Form["Tags.member.1.Value"]));
        Assert.Equal("ops", request.Form["SourceIdentity"]);
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={KeyId}/", request.Authorization, StringComparison.Ordinal);
        Assert.Contains("/eu-west-1/sts/aws4_request", request.Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWorkloadCredentials_NamedSection_AssumesItsOwnRole()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Ok(StsXml.AssumeRole("ASIABACKUPS", "role-secret", "role-token", Expiration)));
        IConfigurationRoot configuration = Configuration(
            ("AWS:Backups:Region", "eu-central-1"),
            ("AWS:Backups:StaticKeys:AccessKeyId", KeyId),
            ("AWS:Backups:StaticKeys:SecretAccessKey", Secret),
            ("AWS:Backups:Sts:EndpointUrl", sts.Endpoint.ToString()),
            ("AWS:Backups:AssumeRole:RoleArn", BackupsRoleArn),
            ("AWS:Backups:AssumeRole:ExternalId", "backups-ext-id"));
        var services = new ServiceCollection();
        services.AddSingleton<IEnvironment>(new TestEnvironment());
        services.AddLoopbackOnlyConnections();
        services.AddWorkloadCredentials("backups", configuration.GetSection("AWS:Backups"));
        await using ServiceProvider provider = services.BuildServiceProvider();

        AwsCredentials credentials = await provider.GetRequiredKeyedService<IAwsCredentialSource>("backups").GetCredentialsAsync(ct);

        Assert.Equal(("ASIABACKUPS", BackupsRoleArn), (credentials.AccessKeyId, credentials.RoleArn));
        StsRecordedRequest request = Assert.Single(sts.Requests);
        Assert.Equal((BackupsRoleArn, "backups-ext-id"), (request.Form["RoleArn"], request.Form["ExternalId"]));
        Assert.Contains("/eu-central-1/sts/aws4_request", request.Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InvalidStsSettingsInTheAwsSection_FailsNamingEachKeyWithoutTheExternalId()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(
        [
            new("AWS:Sts:EndpointUrl", "http://sts.example.com"),
            new("AWS:WebIdentity:RoleSessionName", "my session"),
            new("AWS:AssumeRole:RoleArn", "customer-role"),
            new("AWS:AssumeRole:ExternalId", "x#SENTINEL-EXTERNAL-ID"),
        ]);
        builder.Services.AddSingleton<IEnvironment>(new TestEnvironment());
        builder.Services.AddLoopbackOnlyConnections();
        builder.Services.AddWorkloadCredentials(builder.Configuration);
        using IHost host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            [
                "AWS:Sts:EndpointUrl uses plain http:// for host 'sts.example.com': STS returns credentials, so use https:// (plain http:// is accepted only for localhost, 127.0.0.1 and ::1).",
                "AWS:WebIdentity:RoleSessionName must be 2-64 characters of letters, digits and + = , . @ _ - (got 'my session', 10 characters).",
                "AWS:AssumeRole:RoleArn is not an IAM role ARN: expected arn:aws:iam::<account-id>:role/<name>, got 'customer-role'.",
                "AWS:AssumeRole:ExternalId must be 2-1224 characters of letters, digits and + = , . @ : / _ - (got 22 characters; the value is not shown).",
            ],
            ex.Failures);
        Assert.DoesNotContain("SENTINEL-EXTERNAL-ID", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InvalidHostSourceSettings_FailsNamingTheConfigurationKeys()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(
        [
            new("AWS:InstanceMetadata:MaxRetryAttempts", "11"),
            new("AWS:Container:Timeout", "00:05:00"),
        ]);
        builder.Services.AddSingleton<IEnvironment>(new TestEnvironment());
        builder.Services.AddLoopbackOnlyConnections();
        builder.Services.AddWorkloadCredentials(builder.Configuration);
        using IHost host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(ex.Failures, f => f.Contains("AWS:InstanceMetadata:MaxRetryAttempts is 11", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("AWS:Container:Timeout is 00:05:00", StringComparison.Ordinal));
        Assert.DoesNotContain(ex.Failures, f => f.Contains("CredentialOptions.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_InvalidStsSettingsInANamedSection_FailsNamingTheFullKey()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(
        [
            new("AWS:Backups:Region", "EU-WEST-1"),
            new("AWS:Backups:Sts:MaxRetryAttempts", "11"),
            new("AWS:Backups:WebIdentity:RoleArn", "arn:aws:iam::123456789012:user/bob"),
            new("AWS:Backups:AssumeRole:ExternalId", "backups-ext-id"),
        ]);
        builder.Services.AddSingleton<IEnvironment>(new TestEnvironment());
        builder.Services.AddLoopbackOnlyConnections();
        builder.Services.AddWorkloadCredentials("backups", builder.Configuration.GetSection("AWS:Backups"));
        using IHost host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            [
                "AWS:Backups:Region is not an AWS region name such as eu-west-1 (got 'EU-WEST-1').",
                "AWS:Backups:Sts:MaxRetryAttempts must lie between 0 and 10 (got 11).",
                "AWS:Backups:WebIdentity:RoleArn is not an IAM role ARN: expected arn:aws:iam::<account-id>:role/<name>, got 'arn:aws:iam::123456789012:user/bob'.",
                "AWS:Backups:AssumeRole:RoleArn is required when other AWS:Backups:AssumeRole settings (ExternalId, RoleSessionName, Duration, Policy, Tags, SourceIdentity) are set.",
            ],
            ex.Failures);
        Assert.DoesNotContain("backups-ext-id", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_TimeProviderInTheContainer_DrivesTheBackgroundRefresh()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var custom = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh, Lifetime = TimeSpan.FromHours(1) };
        var services = new ServiceCollection();
        services.AddSingleton<IEnvironment>(new TestEnvironment());
        services.AddLoopbackOnlyConnections();
        services.AddSingleton<TimeProvider>(time);
        services.AddWorkloadCredentials(o => o.CustomSources.Add(custom));
        await using ServiceProvider provider = services.BuildServiceProvider();
        var cache = Assert.IsType<RefreshingCredentialCache>(provider.GetRequiredService<ICachedAwsCredentialSource>());

        AwsCredentials first = await cache.GetCredentialsAsync(ct);

        // Only the fake clock moves: the cache's heartbeat and deadlines run on the container's TimeProvider, so the refresh
        // happens on it: the first one after a start between 10 % of the 1-hour lifetime (minute 6) and the jittered point in the
        // advisory window (minute 52 at the latest).
        time.Advance(TimeSpan.FromMinutes(5));
        await cache.PendingRefresh;
        Assert.Equal(1, custom.Calls);
        for (int minute = 6; minute < 53 && custom.Calls < 2; minute++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await cache.PendingRefresh; // a refresh started by the heartbeat is registered before Advance returns
        }

        Assert.Equal(2, custom.Calls);
        AwsCredentials second = await cache.GetCredentialsAsync(ct);
        Assert.NotEqual(first.AccessKeyId, second.AccessKeyId);
        Assert.True(second.Expiration > time.GetUtcNow().AddMinutes(30));
    }

    private static IConfigurationRoot Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
