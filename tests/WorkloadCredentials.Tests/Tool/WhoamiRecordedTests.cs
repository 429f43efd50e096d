using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.Tool;

/// <summary><c>whoami</c> against a recording STS stand-in on loopback: which region signs the call, and how an STS outage surfaces.</summary>
public sealed class WhoamiRecordedTests : IDisposable
{
    private const string CallerIdentity = """
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <GetCallerIdentityResult>
            <Arn>arn:aws:iam::210987654321:user/ci</Arn>
            <UserId>AIDAEXAMPLEUSERID0001</UserId>
            <Account>210987654321</Account>
          </GetCallerIdentityResult>
          <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000004</RequestId></ResponseMetadata>
        </GetCallerIdentityResponse>
        """;

    private readonly ToolRunner _tool = new();

    public WhoamiRecordedTests()
    {
        _tool.Environment["AWS_ACCESS_KEY_ID"] = "AKIA1234EXAMPLEKEY99";
        _tool.Environment["AWS_SECRET_ACCESS_KEY"] = "SECRET-DoNotPrint";
        _tool.Environment["AWS_SESSION_TOKEN"] = "TOKEN-DoNotPrint";
    }

    public void Dispose() => _tool.Dispose();

    [Theory]
    [InlineData("--region", "ap-southeast-2")]
    [InlineData("AWS_REGION", "ca-central-1")]
    [InlineData("AWS_DEFAULT_REGION", "sa-east-1")]
    [InlineData("profile", "eu-north-1")]
    [InlineData("none", "us-east-1")]
    public async Task Whoami_RegionSetting_SignsForThatRegion(string setting, string region)
    {
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Ok(CallerIdentity));
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = sts.Endpoint.ToString();
        string[] args = ["whoami"];
        switch (setting)
        {
            case "--region":
                _tool.Environment["AWS_REGION"] = "us-west-2"; // the option wins over the environment
                args = ["--region", region, "whoami"];
                break;
            case "profile":
                _tool.WriteFile(".aws/config", $"[default]\nregion = {region}\n");
                break;
            case "none":
                break;
            default:
                _tool.Environment[setting] = region;
                break;
        }

        ProcessResult result = await _tool.RunAsync(args);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            ["Account: 210987654321", "Arn:     arn:aws:iam::210987654321:user/ci", "UserId:  AIDAEXAMPLEUSERID0001"],
            result.Output.TrimEnd().Split('\n'));
        StsRecordedRequest request = Assert.Single(sts.Requests);
        Assert.Equal("GetCallerIdentity", request.Action);
        Assert.Contains($"/{region}/sts/aws4_request", request.Authorization, StringComparison.Ordinal);
        Assert.Equal("TOKEN-DoNotPrint", request.SecurityToken);
        Assert.DoesNotContain("DoNotPrint", result.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_StsUnavailable_ExitsThreeAfterRetries()
    {
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Error(503, "ServiceUnavailable", "try later", "Receiver"));
        _tool.Environment["AWS_ENDPOINT_URL"] = sts.Endpoint.ToString();

        ProcessResult result = await _tool.RunAsync("whoami");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(string.Empty, result.Output);
        Assert.Contains("ServiceUnavailable (HTTP 503)", result.Error, StringComparison.Ordinal);
        Assert.Contains("(from AWS_ENDPOINT_URL)", result.Error, StringComparison.Ordinal);
        Assert.Equal(3, sts.CallCount); // the first attempt and two retries
        Assert.DoesNotContain("DoNotPrint", result.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_NothingListening_ExitsThreeNamingEndpoint()
    {
        int port = Infrastructure.MotoServer.GetFreePort();
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = $"http://127.0.0.1:{port}";

        ProcessResult result = await _tool.RunAsync("whoami");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith($"workload-credentials: whoami: could not reach STS at http://127.0.0.1:{port}/ (from AWS_ENDPOINT_URL_STS)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
