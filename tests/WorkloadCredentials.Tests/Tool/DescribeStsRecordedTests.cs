using System.Text.Json;
using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.Tool;

/// <summary>
/// The tool as a real process against an in-process STS stand-in on loopback that records every request: what the profile chain
/// sends (External ID, session name), and how an STS refusal surfaces (exit code 2, the error code, never the token).
/// </summary>
public sealed class DescribeStsRecordedTests : IDisposable
{
    private const string IssuedSecret = "ISSUEDsecret-DoNotPrint-abcdef0123456789";
    private const string IssuedToken = "ISSUEDtoken-DoNotPrint-FwoGZXIvYXdzEJr";
    private const string WebIdentityToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGkifQ.WEBTOKEN-DoNotPrint";
    private const string RoleArn = "arn:aws:iam::123456789012:role/customer-role";

    private readonly ToolRunner _tool = new();

    public DescribeStsRecordedTests()
    {
        _tool.Environment["AWS_REGION"] = "eu-west-1";
    }

    public void Dispose() => _tool.Dispose();

    [Fact]
    public async Task Describe_ProfileRoleChain_SendsExternalIdAndShowsExactExpiry()
    {
        DateTimeOffset expiration = DateTimeOffset.UtcNow.AddMinutes(45);
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Ok(
            StsXml.AssumeRole("ASIAISSUED1234567890", IssuedSecret, IssuedToken, expiration, "arn:aws:sts::123456789012:assumed-role/customer-role/mgmt")));
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = sts.Endpoint.ToString();
        _tool.WriteFile(".aws/credentials", "[cluster]\naws_access_key_id = AKIACLUSTER000000001\naws_secret_access_key = CLUSTERsecret-DoNotPrint\n");
        _tool.WriteFile(
            ".aws/config",
            $"[profile customer]\nrole_arn = {RoleArn}\nsource_profile = cluster\nexternal_id = ext-cli-4711\nrole_session_name = mgmt\n");

        ProcessResult result = await _tool.RunAsync("--profile", "customer", "describe", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        StsRecordedRequest request = Assert.Single(sts.Requests);
        Assert.Equal("AssumeRole", request.Action);
        Assert.Equal(RoleArn, request.Form["RoleArn"]);
        Assert.Equal("ext-cli-4711", request.Form["ExternalId"]);
        Assert.Equal("mgmt", request.Form["RoleSessionName"]);
        Assert.Contains("Credential=AKIACLUSTER000000001/", request.Authorization, StringComparison.Ordinal);
        Assert.Contains("/eu-west-1/sts/aws4_request", request.Authorization, StringComparison.Ordinal);

        using JsonDocument document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement;
        Assert.Equal("Profile", root.GetProperty("source").GetString());
        Assert.Equal("ASIAISSU***", root.GetProperty("accessKeyId").GetString());
        Assert.Equal(RoleArn, root.GetProperty("roleArn").GetString());
        Assert.Equal(expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), root.GetProperty("expiration").GetString());
        Assert.InRange(root.GetProperty("expiresInSeconds").GetInt64(), 40 * 60, 45 * 60);
        Assert.DoesNotContain("DoNotPrint", result.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIACLUSTER000000001", result.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_StsRefusesWebIdentityToken_ExitsTwoWithCodeAndNoToken()
    {
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Error(400, "InvalidIdentityToken", "Token audience is not allowed"));
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = sts.Endpoint.ToString();
        _tool.Environment["AWS_ROLE_ARN"] = RoleArn;
        _tool.Environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _tool.WriteFile("token", WebIdentityToken);

        ProcessResult result = await _tool.RunAsync("describe", "--json");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("AssumeRoleWithWebIdentity", sts.Requests[0].Action);
        using JsonDocument document = JsonDocument.Parse(result.Output);
        JsonElement error = document.RootElement.GetProperty("error");
        Assert.Equal("sourceFailed", error.GetProperty("kind").GetString());
        Assert.Equal("WebIdentity", error.GetProperty("source").GetString());
        Assert.StartsWith("workload-credentials: WebIdentity", result.Error, StringComparison.Ordinal);
        Assert.Contains("InvalidIdentityToken", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("DoNotPrint", result.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_StsSessionCredentials_AreExportedWithExpiration()
    {
        DateTimeOffset expiration = DateTimeOffset.UtcNow.AddHours(1);
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Ok(
            StsXml.AssumeRoleWithWebIdentity("ASIAISSUED1234567890", IssuedSecret, IssuedToken, expiration)));
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = sts.Endpoint.ToString();
        _tool.Environment["AWS_ROLE_ARN"] = RoleArn;
        _tool.Environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _tool.WriteFile("token", WebIdentityToken);

        ProcessResult result = await _tool.RunAsync("export", "--format", "env");

        Assert.True(result.ExitCode == 0, result.ToString());
        string stamp = expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [
                "export AWS_ACCESS_KEY_ID='ASIAISSUED1234567890'",
                $"export AWS_SECRET_ACCESS_KEY='{IssuedSecret}'",
                $"export AWS_SESSION_TOKEN='{IssuedToken}'",
                $"export AWS_CREDENTIAL_EXPIRATION='{stamp}'",
            ],
            result.Output.TrimEnd().Split('\n'));
        Assert.DoesNotContain(WebIdentityToken, result.AllText, StringComparison.Ordinal);
    }
}
