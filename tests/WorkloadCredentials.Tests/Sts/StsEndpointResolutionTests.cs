using WorkloadCredentials.Internal;
using WorkloadCredentials.Sts.Internal;
using WorkloadCredentials.Tests.Sts.Fakes;
using WorkloadCredentials.WebIdentity.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.Sts;

/// <summary>
/// Which STS endpoint a source calls, and what it signs for. The network is replaced by a recording handler: nothing leaves the process,
/// so real AWS host names can be asserted safely.
/// </summary>
public sealed class StsEndpointResolutionTests : IDisposable
{
    private readonly StsTestHarness _harness = new();
    private readonly TempDirectory _temp = new();
    private readonly RecordingHandler _handler = RecordingHandler.Answering(StsXml.AssumeRoleWithWebIdentity("ASIAENDPOINT", "secret-value-x", "token-value-x", new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    public StsEndpointResolutionTests()
    {
        _harness.HttpHandler = _handler;
        _harness.Environment["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/app-role";
        _harness.Environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _temp.Write("token", "jwt-token-value");
    }

    public void Dispose()
    {
        _harness.Dispose();
        _temp.Dispose();
        _handler.Dispose();
    }

    public static TheoryData<string, string?, string?, string> Regions => new()
    {
        // variable, value, AWS_STS_REGIONAL_ENDPOINTS, expected endpoint
        { "AWS_REGION", "eu-west-1", null, "https://sts.eu-west-1.amazonaws.com/" },
        { "AWS_DEFAULT_REGION", "ap-southeast-2", null, "https://sts.ap-southeast-2.amazonaws.com/" },
        { "AWS_REGION", "eu-west-1", "regional", "https://sts.eu-west-1.amazonaws.com/" },
        { "AWS_REGION", "eu-west-1", "legacy", "https://sts.amazonaws.com/" },
        { "AWS_REGION", "us-east-1", "legacy", "https://sts.amazonaws.com/" },
        { "AWS_REGION", "af-south-1", "legacy", "https://sts.af-south-1.amazonaws.com/" },
        { "AWS_REGION", "cn-north-1", null, "https://sts.cn-north-1.amazonaws.com.cn/" },
        { "AWS_REGION", "us-gov-west-1", null, "https://sts.us-gov-west-1.amazonaws.com/" },
        { "AWS_REGION", "aws-global", null, "https://sts.amazonaws.com/" },
    };

    [Theory]
    [MemberData(nameof(Regions))]
    public async Task GetCredentialsAsync_Region_CallsRegionalEndpoint(string variable, string? region, string? regional, string expected)
    {
        _harness.Environment[variable] = region;
        _harness.Environment["AWS_STS_REGIONAL_ENDPOINTS"] = regional;

        await FetchAsync();

        Assert.Equal(expected, Assert.Single(_handler.Requests).Uri.ToString());
    }

    [Fact]
    public async Task GetCredentialsAsync_NoRegionAnywhere_UsesUsEast1()
    {
        await FetchAsync();

        Assert.Equal("https://sts.us-east-1.amazonaws.com/", Assert.Single(_handler.Requests).Uri.ToString());
        Assert.Single(_harness.Records(StsLog.IdRegionDefaulted));
    }

    [Fact]
    public async Task GetCredentialsAsync_OptionsRegion_WinsOverEnvironment()
    {
        _harness.Environment["AWS_REGION"] = "eu-west-1";
        _harness.Options.Region = "eu-central-1";

        await FetchAsync();

        Assert.Equal("https://sts.eu-central-1.amazonaws.com/", Assert.Single(_handler.Requests).Uri.ToString());
    }

    [Fact]
    public async Task GetCredentialsAsync_NoConfiguredRegion_AsksHintOnce()
    {
        var hint = new FakeRegionHint("ap-northeast-1");
        IAwsCredentialSource source = WebIdentitySourceFactory.FromContext(_harness.Context(), hint);

        _ = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
        _ = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, hint.Calls);
        Assert.All(_handler.Requests, r => Assert.Equal("https://sts.ap-northeast-1.amazonaws.com/", r.Uri.ToString()));
    }

    [Fact]
    public async Task GetCredentialsAsync_ConfiguredRegion_HintNotAsked()
    {
        var hint = new FakeRegionHint("ap-northeast-1");
        _harness.Environment["AWS_REGION"] = "eu-west-1";

        _ = await WebIdentitySourceFactory.FromContext(_harness.Context(), hint).GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, hint.Calls);
    }

    [Fact]
    public async Task GetCredentialsAsync_HintWithoutRegion_UsesUsEast1()
    {
        _ = await WebIdentitySourceFactory.FromContext(_harness.Context(), new FakeRegionHint(null)).GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("https://sts.us-east-1.amazonaws.com/", Assert.Single(_handler.Requests).Uri.ToString());
    }

    [Fact]
    public async Task GetCredentialsAsync_HintGivesInvalidRegion_NonRecoverableNamingHint()
    {
        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => WebIdentitySourceFactory.FromContext(_harness.Context(), new FakeRegionHint("eu west 1")).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.False(ex.IsRecoverable);
        Assert.Equal("WebIdentity: fake hint is not an AWS region name such as eu-west-1 (got 'eu west 1').", ex.Message);
        Assert.Empty(_handler.Requests);
    }

    [Theory]
    [InlineData(true, false, "https://sts-fips.us-west-2.amazonaws.com/")]
    [InlineData(false, true, "https://sts.us-west-2.api.aws/")]
    [InlineData(true, true, "https://sts-fips.us-west-2.api.aws/")]
    public async Task GetCredentialsAsync_FipsAndDualStack_FollowEnvironment(bool fips, bool dualStack, string expected)
    {
        _harness.Environment["AWS_REGION"] = "us-west-2";
        _harness.Environment["AWS_USE_FIPS_ENDPOINT"] = fips ? "true" : null;
        _harness.Environment["AWS_USE_DUALSTACK_ENDPOINT"] = dualStack ? "true" : null;

        await FetchAsync();

        Assert.Equal(expected, Assert.Single(_handler.Requests).Uri.ToString());
    }

    [Fact]
    public async Task GetCredentialsAsync_EndpointPrecedence_OptionsThenServiceVariableThenGlobalVariable()
    {
        _harness.Environment["AWS_REGION"] = "eu-west-1";
        _harness.Environment["AWS_ENDPOINT_URL"] = "https://aws.global-env-override";
        await FetchAsync();
        _harness.Environment["AWS_ENDPOINT_URL_STS"] = "https://aws.sts-env-override";
        await FetchAsync();
        _harness.Options.Sts.EndpointUrl = "https://sts.options-override.example";
        await FetchAsync();
        _harness.Options.Sts.EndpointUrl = null;
        _harness.Environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
        await FetchAsync();

        Assert.Equal(
            ["https://aws.global-env-override/", "https://aws.sts-env-override/", "https://sts.options-override.example/", "https://sts.eu-west-1.amazonaws.com/"],
            _handler.Requests.Select(r => r.Uri.ToString()));
    }

    [Fact]
    public async Task GetCredentialsAsync_EndpointOverride_SignsForConfiguredRegion()
    {
        _harness.Environment["AWS_REGION"] = "eu-west-1";
        _harness.Environment["AWS_ENDPOINT_URL_STS"] = "https://vpce-123.sts.eu-west-1.vpce.amazonaws.com";
        var keys = new QueuedCredentialSource(new AwsCredentials("AKIDSOURCE", "source-secret-value", null, null, "StaticKeys"));
        _harness.Options.AssumeRole.RoleArn = "arn:aws:iam::123456789012:role/target";
        var handler = new RecordingHandler((_, _) => new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            Content = new StringContent(StsXml.AssumeRole("ASIAROLE", "s-x", "t-x", new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero)), System.Text.Encoding.UTF8, "text/xml"),
        });
        _harness.HttpHandler = handler;

        _ = await WorkloadCredentials.AssumeRole.Internal.AssumeRoleChainWrapper.Wrap(keys, _harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://vpce-123.sts.eu-west-1.vpce.amazonaws.com/", request.Uri.ToString());
        Assert.Contains("/eu-west-1/sts/aws4_request", request.Authorization, StringComparison.Ordinal);
        Assert.Contains("Credential=AKIDSOURCE/", request.Authorization, StringComparison.Ordinal);
    }

    private async Task FetchAsync() =>
        _ = await WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken);

    private sealed class FakeRegionHint(string? region) : IRegionHint
    {
        public int Calls { get; private set; }

        public string Description => "fake hint";

        public ValueTask<string?> GetRegionAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return ValueTask.FromResult(region);
        }
    }
}
