using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.InstanceMetadata;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Sts.Fakes;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

namespace WorkloadCredentials.Tests.Chain;

/// <summary>
/// The host sources (container credentials, instance metadata) as the DEFAULT chain wires them, not one by one: their order,
/// the fail-fast bound of the whole chain on a machine without IMDS, both as the source of a role from options, and the
/// instance's placement region reaching STS. Every endpoint is loopback (in-memory guard handler or a real loopback socket).
/// </summary>
public sealed class DefaultChainHostSourceTests : IDisposable
{
    private const string ImdsEndpoint = "http://127.0.0.1:1";
    private const string ContainerEndpoint = "http://127.0.0.1:2/v2/credentials/task";
    private const string StsEndpoint = "http://127.0.0.1:3/";
    private const string RoleArn = "arn:aws:iam::123456789012:role/target-role";
    private const string ContainerKeyId = "ASIACONTAINERCHAIN01";
    private const string ContainerSecret = "container-chain-SECRET-do-not-log";
    private const string RoleKeyId = "ASIAROLEFROMSTS00001";
    private const string RoleSecret = "role-SECRET-from-sts-do-not-log";
    private const string RoleToken = "role-SESSION-from-sts-do-not-log";

    /// <summary>The target: the whole chain gives up on a machine without IMDS within this.</summary>
    private static readonly TimeSpan FailFastBound = TimeSpan.FromMilliseconds(1500);

    private readonly FakeLogCollector _logs = SecretScanLogging.NewCollector();
    private readonly ILoggerFactory _loggerFactory;

    public DefaultChainHostSourceTests()
    {
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(_logs)).SetMinimumLevel(LogLevel.Trace));
    }

    public void Dispose() => _loggerFactory.Dispose();

    [Fact]
    public void Create_Order_ContainerBeforeInstanceMetadataLast()
    {
        var chain = Assert.IsType<CredentialChain>(DefaultCredentialChain.Create(Context(new WorkloadCredentialsOptions(), ImdsOn())));

        Assert.Equal(
            ["StaticKeys", "Environment", "Profile", "WebIdentity", "Container", "InstanceMetadata"],
            chain.Links.Select(l => l.Name));
    }

    [Fact]
    public async Task GetCredentialsAsync_ContainerAndImdsBothAvailable_ContainerWinsAndImdsIsNeverAsked()
    {
        TestEnvironment environment = ImdsOn();
        environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = ContainerEndpoint;
        var handler = new LoopbackGuardHandler(request => request.RequestUri!.Port == 2
            ? Json(ContainerJson())
            : ImdsAnswer(request));
        var chain = Assert.IsType<CredentialChain>(DefaultCredentialChain.Create(Context(new WorkloadCredentialsOptions(), environment, handler)));

        AwsCredentials credentials = await chain.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ContainerKeyId, credentials.AccessKeyId);
        Assert.Equal("Container", chain.ChosenSourceName);
        Assert.All(handler.Requests, r => Assert.Equal(2, r.Uri.Port));
    }

    [Fact]
    public async Task GetCredentialsAsync_RoleFromOptionsOverContainer_SignedWithTheContainerCredentials()
    {
        TestEnvironment environment = ImdsOn();
        environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = ContainerEndpoint;
        var options = new WorkloadCredentialsOptions { Region = "us-west-2", AssumeRole = { RoleArn = RoleArn, ExternalId = "partner-external-id" } };
        options.Sts.EndpointUrl = StsEndpoint;
        var handler = new LoopbackGuardHandler(request => request.RequestUri!.Port switch
        {
            2 => Json(ContainerJson()),
            3 => StsAssumeRole(),
            _ => ImdsAnswer(request),
        });

        AwsCredentials credentials = await DefaultCredentialChain.Create(Context(options, environment, handler)).GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("AssumeRole", credentials.SourceName);
        Assert.Equal(RoleKeyId, credentials.AccessKeyId);
        RecordedHttpRequest sts = Assert.Single(handler.Requests, r => r.Uri.Port == 3);
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={ContainerKeyId}/", sts.Header("Authorization"), StringComparison.Ordinal);
        Assert.Contains("/us-west-2/sts/aws4_request", sts.Header("Authorization"), StringComparison.Ordinal);
        Assert.DoesNotContain(handler.Requests, r => r.Uri.Port == 1);
        AssertNoSecret();
    }

    [Fact]
    public async Task GetCredentialsAsync_RoleFromOptionsOnEc2WithoutRegion_SignedWithInstanceCredentialsForThePlacementRegion()
    {
        // No region in options, environment or profile: on EC2 the instance's placement region is STS's default region.
        var options = new WorkloadCredentialsOptions { AssumeRole = { RoleArn = RoleArn } };
        options.Sts.EndpointUrl = StsEndpoint;
        var handler = new LoopbackGuardHandler(request => request.RequestUri!.Port == 3 ? StsAssumeRole() : ImdsAnswer(request));

        AwsCredentials credentials = await DefaultCredentialChain.Create(Context(options, ImdsOn(), handler)).GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("AssumeRole", credentials.SourceName);
        Assert.Equal(RoleKeyId, credentials.AccessKeyId);
        Assert.Contains(handler.Requests, r => r.Uri.AbsolutePath == "/latest/meta-data/placement/region");
        RecordedHttpRequest sts = Assert.Single(handler.Requests, r => r.Uri.Port == 3);
        string authorization = sts.Header("Authorization")!;
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={ImdsTestData.AccessKeyId}/", authorization, StringComparison.Ordinal);
        Assert.Contains("/eu-west-3/sts/aws4_request", authorization, StringComparison.Ordinal);
        Assert.Equal(ImdsTestData.SessionToken, sts.Header("X-Amz-Security-Token"));
        AssertNoSecret();
    }

    [Theory]
    [InlineData("nothing listening")]
    [InlineData("listener never answers")]
    public async Task GetCredentialsAsync_DefaultChainWithoutImds_FailsWithinBound(string fault)
    {
        // The whole default chain behind the refresh cache, on the real clock and real sockets: every source before IMDS reads
        // only local settings (none set), then IMDS gets its short first-contact timeout.
        using var listener = fault == "listener never answers" ? new NeverAnsweringListener() : null;
        TestEnvironment environment = new([new("AWS_EC2_METADATA_DISABLED", "false")]);
        environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = (listener?.Endpoint ?? new Uri($"http://127.0.0.1:{MotoServer.GetFreePort()}")).ToString();
        using RefreshingCredentialCache cache = AwsCredentialSources.CreateDefault(NetworkSafety.Guarded(new WorkloadCredentialsOptions(), environment, loggerFactory: _loggerFactory));
        var stopwatch = Stopwatch.StartNew();

        AwsCredentialException error = await Assert.ThrowsAnyAsync<AwsCredentialException>(
            async () => await cache.GetCredentialsAsync(TestContext.Current.CancellationToken));

        stopwatch.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"default chain fail-fast, {fault}: {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, FailFastBound);
        Assert.Contains("InstanceMetadata: no instance metadata service answered at", error.Message, StringComparison.Ordinal);
        Assert.Contains(fault == "nothing listening" ? "connection refused" : "no answer within 500 ms", error.Message, StringComparison.Ordinal);
        if (listener is not null)
        {
            Assert.True(listener.AcceptedCount >= 1);
        }
    }

    [Theory]
    [InlineData("AWS_METADATA_SERVICE_TIMEOUT", "0.005", "between 0.01 and 60")]
    [InlineData("AWS_METADATA_SERVICE_TIMEOUT", "0.0099", "between 0.01 and 60")]
    [InlineData("AWS_METADATA_SERVICE_TIMEOUT", "0", "between 0.01 and 60")]
    [InlineData("AWS_METADATA_SERVICE_TIMEOUT", "61", "between 0.01 and 60")]
    [InlineData("AWS_METADATA_SERVICE_TIMEOUT", "1e400", "between 0.01 and 60")]
    [InlineData("AWS_METADATA_SERVICE_TIMEOUT", "NaN", "between 0.01 and 60")]
    [InlineData("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0", "between 1 and 11")]
    [InlineData("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "12", "between 1 and 11")]
    [InlineData("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2147483648", "between 1 and 11")]
    public async Task CreateDefault_HostSettingOutOfRange_EnvironmentKeysStillResolveAndImdsFailsWhenUsed(string variable, string value, string range)
    {
        TestEnvironment environment = ImdsOn();
        environment["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENTKEY01";
        environment["AWS_SECRET_ACCESS_KEY"] = "environment-SECRET-do-not-log";
        environment[variable] = value;
        var handler = new LoopbackGuardHandler(ImdsAnswer);
        CredentialSourceContext context = Context(new WorkloadCredentialsOptions(), environment, handler);

        using RefreshingCredentialCache cache = AwsCredentialSources.CreateDefault(context);
        AwsCredentials credentials = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("AKIAENVIRONMENTKEY01", credentials.AccessKeyId);
        var imds = new WorkloadCredentials.InstanceMetadata.ImdsCredentialSource(context);
        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await imds.GetCredentialsAsync(TestContext.Current.CancellationToken));
        Assert.False(error.IsRecoverable);
        Assert.Contains($"{variable} is '{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(range, error.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task AddWorkloadCredentials_MetadataTimeoutTooSmallInEnvironment_ResolvesEnvironmentKeys()
    {
        TestEnvironment environment = ImdsOn();
        environment["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENTKEY01";
        environment["AWS_SECRET_ACCESS_KEY"] = "environment-SECRET-do-not-log";
        environment["AWS_METADATA_SERVICE_TIMEOUT"] = "0.005";
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IEnvironment>(services, environment);
        NetworkSafety.AddLoopbackOnlyConnections(services);
        Microsoft.Extensions.DependencyInjection.WorkloadCredentialsServiceCollectionExtensions.AddWorkloadCredentials(services);
        await using Microsoft.Extensions.DependencyInjection.ServiceProvider provider =
            Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);

        IAwsCredentialSource source = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IAwsCredentialSource>(provider);
        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("AKIAENVIRONMENTKEY01", credentials.AccessKeyId);
    }

    [Fact]
    public async Task GetCredentialsAsync_ProfileCredentialSourceEcsContainer1000Refreshes_ConnectionsStayFlat()
    {
        const int refreshes = 1000;
        using var server = new ConnectionCountingHttpServer(ContainerJson());
        using var files = new WorkloadCredentials.Tests.Profiles.ProfileFiles("[default]\ncredential_source = EcsContainer\n");
        var environment = new TestEnvironment([new("AWS_EC2_METADATA_DISABLED", "true")]);
        environment["HOME"] = files.Home;
        environment["AWS_CONFIG_FILE"] = files.ConfigPath;
        environment["AWS_SHARED_CREDENTIALS_FILE"] = files.CredentialsPath;
        environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = new Uri(server.Endpoint, "/v1/credentials").ToString();
        CredentialSourceContext context = Context(new WorkloadCredentialsOptions(), environment);
        Func<string, string?> settings = WorkloadCredentials.Profiles.Internal.SelectedProfileSettings.Create(context);
        var source = new WorkloadCredentials.Profiles.ProfileCredentialSource(
            context, new WorkloadCredentials.Profiles.Internal.BuiltInProfileStepFactory(WorkloadCredentials.Chain.Internal.SourceDefinitions.CreateBuildContext(context, settings, new WorkloadCredentials.Chain.Internal.DefaultRegionHint(context, settings))), isWindows: false);
        var stopwatch = Stopwatch.StartNew();

        for (int i = 0; i < refreshes; i++)
        {
            AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
            Assert.Equal(ContainerKeyId, credentials.AccessKeyId);
        }

        stopwatch.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"credential_source = EcsContainer, {refreshes} refreshes: {server.AcceptedConnections} connections accepted, {server.PeakOpenConnections} open at once, {server.Requests} requests, {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(refreshes, server.Requests);
        Assert.InRange(server.AcceptedConnections, 1, 5);
        Assert.InRange(server.PeakOpenConnections, 1, 5);
    }

    [Fact]
    public async Task GetCredentialsAsync_ProfileRoleChain1000Refreshes_OneStsConnection()
    {
        const int refreshes = 1000;
        using var sts = new ConnectionCountingHttpServer(
            StsXml.AssumeRole(RoleKeyId, RoleSecret, RoleToken, DateTimeOffset.UtcNow.AddHours(1), "arn:aws:sts::123456789012:assumed-role/target-role/s"), "text/xml");
        using var files = new WorkloadCredentials.Tests.Profiles.ProfileFiles(
            $"[default]\nrole_arn = {RoleArn}\nsource_profile = base\nexternal_id = ext-connections\n",
            "[base]\naws_access_key_id = AKIABASEFORCONNCOUNT\naws_secret_access_key = base-SECRET-for-connection-count\n");
        var environment = new TestEnvironment([new("AWS_EC2_METADATA_DISABLED", "true")]);
        environment["HOME"] = files.Home;
        environment["AWS_CONFIG_FILE"] = files.ConfigPath;
        environment["AWS_SHARED_CREDENTIALS_FILE"] = files.CredentialsPath;
        environment["AWS_ENDPOINT_URL_STS"] = sts.Endpoint.ToString();
        environment["AWS_REGION"] = "eu-west-1";
        CredentialSourceContext context = Context(new WorkloadCredentialsOptions(), environment);
        Func<string, string?> settings = WorkloadCredentials.Profiles.Internal.SelectedProfileSettings.Create(context);
        using var source = new WorkloadCredentials.Profiles.ProfileCredentialSource(
            context, new WorkloadCredentials.Profiles.Internal.BuiltInProfileStepFactory(WorkloadCredentials.Chain.Internal.SourceDefinitions.CreateBuildContext(context, settings, new WorkloadCredentials.Chain.Internal.DefaultRegionHint(context, settings))), isWindows: false);

        for (int i = 0; i < refreshes; i++)
        {
            AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
            Assert.Equal(RoleKeyId, credentials.AccessKeyId);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"role_arn + source_profile, {refreshes} refreshes: {sts.AcceptedConnections} STS connections accepted, {sts.PeakOpenConnections} open at once, {sts.Requests} requests");
        Assert.Equal(refreshes, sts.Requests);

        // The profile's STS step is built once and keeps its client: one connection, reused, not one per refresh.
        Assert.InRange(sts.AcceptedConnections, 1, 3);
        Assert.InRange(sts.PeakOpenConnections, 1, 3);
    }

    private static TestEnvironment ImdsOn()
    {
        var environment = new TestEnvironment([new("AWS_EC2_METADATA_DISABLED", "false")]);
        environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = ImdsEndpoint;
        return environment;
    }

    private CredentialSourceContext Context(WorkloadCredentialsOptions options, IEnvironment environment, HttpMessageHandler? handler = null) =>
        new(options, environment, TimeProvider.System, _loggerFactory, handler);

    private static HttpResponseMessage ImdsAnswer(HttpRequestMessage request) => request.RequestUri!.AbsolutePath switch
    {
        "/latest/api/token" => ImdsTestData.Token(),
        "/latest/meta-data/iam/security-credentials/" => ImdsTestData.Text(HttpStatusCode.OK, ImdsTestData.RoleName),
        "/latest/meta-data/iam/security-credentials-extended/" + ImdsTestData.RoleName =>
            ImdsTestData.Text(HttpStatusCode.OK, ImdsTestData.CredentialsJson(DateTimeOffset.UtcNow.AddHours(6), accountId: "111122223333")),
        "/latest/meta-data/placement/region" => ImdsTestData.Text(HttpStatusCode.OK, "eu-west-3"),
        _ => ImdsTestData.Text(HttpStatusCode.NotFound),
    };

    private static string ContainerJson() =>
        $$"""{"AccessKeyId":"{{ContainerKeyId}}","SecretAccessKey":"{{ContainerSecret}}","Token":"container-chain-TOKEN","Expiration":"{{DateTimeOffset.UtcNow.AddHours(6):yyyy-MM-ddTHH:mm:ssZ}}"}""";

    private static HttpResponseMessage Json(string body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage StsAssumeRole() =>
        new(HttpStatusCode.OK)
        {
            Content = new StringContent(StsXml.AssumeRole(RoleKeyId, RoleSecret, RoleToken, DateTimeOffset.UtcNow.AddHours(1), "arn:aws:sts::123456789012:assumed-role/target-role/s"), Encoding.UTF8, "text/xml"),
        };

    private void AssertNoSecret()
    {
        string logText = string.Join("\n", _logs.GetSnapshot().Select(r => $"{r.Message} {r.Exception}"));
        foreach (string secret in new[] { ContainerSecret, RoleSecret, RoleToken, ImdsTestData.SecretAccessKey, ImdsTestData.SessionToken, ImdsTestData.ImdsToken })
        {
            Assert.DoesNotContain(secret, logText, StringComparison.Ordinal);
        }
    }
}
