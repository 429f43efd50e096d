using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.InstanceMetadata;
using WorkloadCredentials.Tests.Sts.Fakes;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

namespace WorkloadCredentials.Tests.Chain;

/// <summary>
/// The STS region of the default chain when neither the options nor AWS_REGION/AWS_DEFAULT_REGION name one: the shared config
/// profile's <c>region</c>, then on EC2 the instance's placement region from instance metadata (asked once).
/// </summary>
public sealed class DefaultRegionHintTests : IDisposable
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/pod-role";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GetCredentialsAsync_WebIdentityWithProfileRegion_CallsThatRegionsStsWithoutAskingImds()
    {
        var environment = WebIdentityEnvironment();
        environment["AWS_CONFIG_FILE"] = _temp.Write("config", "[default]\nregion = eu-north-1\n");
        environment["AWS_EC2_METADATA_DISABLED"] = null; // IMDS would answer eu-west-3: the profile must win without asking it
        var network = new InMemoryNetwork(placementRegion: "eu-west-3");

        AwsCredentials credentials = await CreateChain(environment, network).GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("WebIdentity", credentials.SourceName);
        Assert.Equal(["https://sts.eu-north-1.amazonaws.com/"], network.StsRequests);
        Assert.Empty(network.ImdsRequests);
    }

    [Fact]
    public async Task GetCredentialsAsync_WebIdentityOnEc2WithoutConfiguredRegion_CallsTheInstanceRegionsStsOnce()
    {
        var environment = WebIdentityEnvironment();
        environment["AWS_EC2_METADATA_DISABLED"] = null;
        var network = new InMemoryNetwork(placementRegion: "eu-west-3");
        IAwsCredentialSource chain = CreateChain(environment, network);

        _ = await chain.GetCredentialsAsync(TestContext.Current.CancellationToken);
        _ = await chain.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["https://sts.eu-west-3.amazonaws.com/", "https://sts.eu-west-3.amazonaws.com/"], network.StsRequests);
        Assert.Equal(["PUT /latest/api/token", "GET /latest/meta-data/placement/region"], network.ImdsRequests);
        Assert.All(network.ImdsHosts, host => Assert.Equal("127.0.0.1", host));
    }

    [Fact]
    public async Task GetCredentialsAsync_EnvironmentRegion_WinsOverProfileAndInstance()
    {
        var environment = WebIdentityEnvironment();
        environment["AWS_REGION"] = "ap-southeast-2";
        environment["AWS_CONFIG_FILE"] = _temp.Write("config", "[default]\nregion = eu-north-1\n");
        environment["AWS_EC2_METADATA_DISABLED"] = null;
        var network = new InMemoryNetwork(placementRegion: "eu-west-3");

        _ = await CreateChain(environment, network).GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["https://sts.ap-southeast-2.amazonaws.com/"], network.StsRequests);
        Assert.Empty(network.ImdsRequests);
    }

    [Fact]
    public async Task Description_NamesWhereTheRegionCameFrom_TheInstanceAskedOnce()
    {
        var network = new InMemoryNetwork(placementRegion: "eu-west-3");
        CredentialSourceContext context = HintContext(network, excludeInstanceMetadata: false);
        var profile = new DefaultRegionHint(context, key => key == "region" ? " eu-north-1 " : null);
        var instance = new DefaultRegionHint(context, _ => null);

        Assert.Equal("the shared config profile's region or the EC2 instance's placement region", profile.Description);
        Assert.Equal("eu-north-1", await profile.GetRegionAsync(TestContext.Current.CancellationToken));
        Assert.Equal("region in the shared config profile", profile.Description);
        Assert.Empty(network.ImdsRequests);

        Assert.Equal("eu-west-3", await instance.GetRegionAsync(TestContext.Current.CancellationToken));
        Assert.Equal("the EC2 instance's placement region (instance metadata)", instance.Description);
        Assert.Equal("eu-west-3", await instance.GetRegionAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["PUT /latest/api/token", "GET /latest/meta-data/placement/region"], network.ImdsRequests);
    }

    [Fact]
    public async Task InstanceMetadataExcluded_NoRegion_NotAsked_DescriptionUnchanged()
    {
        var network = new InMemoryNetwork(placementRegion: "eu-west-3");
        var hint = new DefaultRegionHint(HintContext(network, excludeInstanceMetadata: true), _ => null);

        Assert.Null(await hint.GetRegionAsync(TestContext.Current.CancellationToken));
        Assert.Equal("the shared config profile's region or the EC2 instance's placement region", hint.Description);
        Assert.Empty(network.ImdsRequests);
    }

    private static CredentialSourceContext HintContext(InMemoryNetwork network, bool excludeInstanceMetadata)
    {
        var options = new WorkloadCredentialsOptions { ExcludeInstanceMetadata = excludeInstanceMetadata };
        options.InstanceMetadata.Endpoint = new Uri("http://127.0.0.1:1");
        var environment = new TestEnvironment { ["AWS_EC2_METADATA_DISABLED"] = null };
        return NetworkSafety.Guarded(options, environment, TimeProvider.System, SecretScanLogging.LoggerFactory, network);
    }

    private TestEnvironment WebIdentityEnvironment() => new()
    {
        ["AWS_ROLE_ARN"] = RoleArn,
        ["AWS_WEB_IDENTITY_TOKEN_FILE"] = _temp.Write("token.jwt", "eyJhbGciOiJSUzI1NiJ9.region-hint.sig"),
        ["AWS_ROLE_SESSION_NAME"] = "pod",
    };

    private static IAwsCredentialSource CreateChain(TestEnvironment environment, InMemoryNetwork network)
    {
        var options = new WorkloadCredentialsOptions();
        options.InstanceMetadata.Endpoint = new Uri("http://127.0.0.1:1");
        return DefaultCredentialChain.Create(NetworkSafety.Guarded(options, environment, TimeProvider.System, SecretScanLogging.LoggerFactory, network));
    }

    /// <summary>
    /// Replaces the network (nothing leaves the process): instance metadata must be addressed to loopback; STS is answered whatever
    /// its host, so that the regional host the chain picked can be asserted.
    /// </summary>
    private sealed class InMemoryNetwork(string placementRegion) : HttpMessageHandler
    {
        private readonly ConcurrentQueue<string> _sts = new();
        private readonly ConcurrentQueue<string> _imds = new();
        private readonly ConcurrentQueue<string> _imdsHosts = new();

        public IReadOnlyList<string> StsRequests => _sts.ToArray();

        public IReadOnlyList<string> ImdsRequests => _imds.ToArray();

        public IReadOnlyList<string> ImdsHosts => _imdsHosts.ToArray();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri uri = request.RequestUri!;
            if (uri.AbsolutePath.StartsWith("/latest/", StringComparison.Ordinal))
            {
                _imds.Enqueue($"{request.Method.Method} {uri.AbsolutePath}");
                _imdsHosts.Enqueue(uri.Host);
                return Task.FromResult(request.Method == HttpMethod.Put
                    ? ImdsTestData.Token()
                    : uri.AbsolutePath == "/latest/meta-data/placement/region" ? ImdsTestData.Text(HttpStatusCode.OK, placementRegion) : ImdsTestData.Text(HttpStatusCode.NotFound));
            }

            _sts.Enqueue(uri.ToString());
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(StsXml.AssumeRoleWithWebIdentity("ASIAPOD", "pod-secret", "pod-token", DateTimeOffset.UtcNow.AddHours(1)), System.Text.Encoding.UTF8, "text/xml"),
                RequestMessage = request,
            });
        }
    }
}
