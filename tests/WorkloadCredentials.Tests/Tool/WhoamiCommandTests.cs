using System.Text.Json;

namespace WorkloadCredentials.Tests.Tool;

/// <summary>
/// <c>whoami</c> as a real process against moto with signatures verified: the endpoint comes from AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL
/// or the profile's endpoint_url, exactly as the library reads them.
/// </summary>
public sealed class WhoamiCommandTests : IClassFixture<SignedMotoFixture>, IDisposable
{
    private readonly SignedMotoFixture _moto;
    private readonly ToolRunner _tool = new();

    public WhoamiCommandTests(SignedMotoFixture moto)
    {
        _moto = moto;
        _tool.Environment["AWS_ACCESS_KEY_ID"] = moto.AccessKeyId;
        _tool.Environment["AWS_SECRET_ACCESS_KEY"] = moto.SecretAccessKey;
    }

    public void Dispose() => _tool.Dispose();

    private string Endpoint => _moto.Moto.Endpoint.ToString();

    [Theory]
    [InlineData("AWS_ENDPOINT_URL_STS")]
    [InlineData("AWS_ENDPOINT_URL")]
    public async Task Whoami_EndpointFromEnvironment_PrintsCallerIdentity(string variable)
    {
        _tool.Environment[variable] = Endpoint;

        ProcessResult result = await _tool.RunAsync("whoami");

        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = result.Output.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("Account: 123456789012", lines[0]);
        Assert.Equal($"Arn:     {_moto.UserArn}", lines[1]);
        Assert.Matches("^UserId:  [A-Za-z0-9]{10,}$", lines[2]);
        Assert.DoesNotContain(_moto.SecretAccessKey, result.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_EndpointFromProfileAndRegionOption_PrintsJson()
    {
        // An explicit --profile is not overridden by environment keys (as `aws --profile`), so the profile holds the keys.
        string config = _tool.WriteFile(
            "aws/config",
            $"[profile ci]\nendpoint_url = {Endpoint}\nregion = eu-west-1\naws_access_key_id = {_moto.AccessKeyId}\naws_secret_access_key = {_moto.SecretAccessKey}\n");
        _tool.Environment["AWS_CONFIG_FILE"] = config;
        _tool.Environment.Remove("AWS_ACCESS_KEY_ID");
        _tool.Environment.Remove("AWS_SECRET_ACCESS_KEY");

        ProcessResult result = await _tool.RunAsync("--profile", "ci", "--region", "eu-central-1", "whoami", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument document = JsonDocument.Parse(result.Output);
        Assert.Equal("123456789012", document.RootElement.GetProperty("Account").GetString());
        Assert.Equal(_moto.UserArn, document.RootElement.GetProperty("Arn").GetString());
        Assert.False(string.IsNullOrEmpty(document.RootElement.GetProperty("UserId").GetString()));
    }

    [Fact]
    public async Task Whoami_WrongSecret_ExitsThreeWithServiceErrorAndNoSecret()
    {
        const string WrongSecret = "WRONGsecret-DoNotPrint-0123456789abcdef";
        _tool.Environment["AWS_SECRET_ACCESS_KEY"] = WrongSecret;
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = Endpoint;

        ProcessResult result = await _tool.RunAsync("whoami");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(string.Empty, result.Output);
        Assert.StartsWith("workload-credentials: whoami: sts:GetCallerIdentity at " + Endpoint, result.Error, StringComparison.Ordinal);
        Assert.Contains("SignatureDoesNotMatch", result.Error, StringComparison.Ordinal);
        Assert.Contains("source Environment", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("DoNotPrint", result.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_PlainHttpToRemoteHost_RefusedBeforeAnyCall()
    {
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = "http://sts.example.invalid";

        ProcessResult result = await _tool.RunAsync("whoami");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("uses plain http:// for host 'sts.example.invalid'", result.Error, StringComparison.Ordinal);
        Assert.Contains("AWS_ENDPOINT_URL_STS", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_PlainHttpEndpointWithQuery_RefusedWithoutQuotingTheQuery()
    {
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = "http://sts.example.invalid/?X-Amz-Security-Token=DoNotPrintQuery";

        ProcessResult result = await _tool.RunAsync("whoami");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("'http://sts.example.invalid/ (details hidden)'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("DoNotPrintQuery", result.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_NothingConfigured_ExitsOne()
    {
        _tool.Environment.Remove("AWS_ACCESS_KEY_ID");
        _tool.Environment.Remove("AWS_SECRET_ACCESS_KEY");
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = Endpoint;

        ProcessResult result = await _tool.RunAsync("whoami");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(string.Empty, result.Output);
        Assert.StartsWith("workload-credentials: No AWS credentials were found.", result.Error, StringComparison.Ordinal);
    }
}
