using System.Text.Json;

namespace WorkloadCredentials.Tests.Tool;

/// <summary>
/// <c>describe</c> and <c>whoami</c> for the STS-backed sources, as a real process against moto on loopback (AWS_ENDPOINT_URL_STS):
/// a shared-config role chain (role_arn + source_profile + external_id) and web identity (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE).
/// </summary>
public sealed class DescribeStsSourcesTests : IClassFixture<StsMotoFixture>, IDisposable
{
    private const string WebIdentityToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Y2xpIn0.TOKEN-DoNotPrint";

    private readonly StsMotoFixture _moto;
    private readonly ToolRunner _tool = new();

    public DescribeStsSourcesTests(StsMotoFixture moto)
    {
        _moto = moto;
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = moto.Moto.Endpoint.ToString();
        _tool.Environment["AWS_REGION"] = "us-east-1";
    }

    public void Dispose() => _tool.Dispose();

    private void WriteRoleChainProfiles()
    {
        _tool.WriteFile(".aws/credentials", $"[base]\naws_access_key_id = {_moto.AccessKeyId}\naws_secret_access_key = {_moto.SecretAccessKey}\n");
        _tool.WriteFile(
            ".aws/config",
            $"[profile dev]\nrole_arn = {_moto.RoleArn}\nsource_profile = base\nexternal_id = ext-cli-4711\nrole_session_name = cli-session\n");
    }

    private void UseWebIdentity()
    {
        _tool.Environment["AWS_ROLE_ARN"] = _moto.RoleArn;
        _tool.Environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _tool.WriteFile("token/web-identity", WebIdentityToken);
        _tool.Environment["AWS_ROLE_SESSION_NAME"] = "cli-pod";
    }

    private void AssertNoSecret(ProcessResult result)
    {
        Assert.DoesNotContain(_moto.SecretAccessKey, result.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(_moto.AccessKeyId, result.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("DoNotPrint", result.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_ProfileRoleChainWithExternalId_ShowsRoleAccountExpiryAndPlan()
    {
        WriteRoleChainProfiles();

        ProcessResult result = await _tool.RunAsync("--profile", "dev", "describe", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement;
        Assert.True(root.GetProperty("resolved").GetBoolean());
        Assert.Equal("Profile", root.GetProperty("source").GetString());
        Assert.Equal(_moto.RoleArn, root.GetProperty("roleArn").GetString());
        Assert.Equal("123456789012", root.GetProperty("accountId").GetString());
        Assert.True(root.GetProperty("temporary").GetBoolean());
        Assert.Matches("^ASIA.{4}\\*\\*\\*$", root.GetProperty("accessKeyId").GetString());
        Assert.Matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", root.GetProperty("expiration").GetString());
        Assert.InRange(root.GetProperty("expiresInSeconds").GetInt64(), 60, 12 * 3600);

        JsonElement profile = root.GetProperty("profile");
        Assert.Equal(["name", "origin", "chain", "configFile", "credentialsFile"], profile.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("dev", profile.GetProperty("name").GetString());
        Assert.Equal("named by --profile", profile.GetProperty("origin").GetString());
        Assert.Equal(Path.Combine(_tool.Home, ".aws", "config"), profile.GetProperty("configFile").GetString());
        Assert.Equal(Path.Combine(_tool.Home, ".aws", "credentials"), profile.GetProperty("credentialsFile").GetString());
        Assert.Equal(
            $"static keys {_moto.AccessKeyId[..8]}*** of profile 'base' -> assume role {_moto.RoleArn} of profile 'dev'",
            profile.GetProperty("chain").GetString());

        JsonElement[] sources = root.GetProperty("sources").EnumerateArray().ToArray();
        Assert.Equal("chosen", sources.Single(s => s.GetProperty("name").GetString() == "Profile").GetProperty("status").GetString());
        Assert.Equal("unavailable", sources.Single(s => s.GetProperty("name").GetString() == "Environment").GetProperty("status").GetString());
        AssertNoSecret(result);
    }

    [Fact]
    public async Task Describe_ProfileRoleChainText_ShowsRoleAndChain()
    {
        WriteRoleChainProfiles();
        _tool.Environment["AWS_PROFILE"] = "dev";

        ProcessResult result = await _tool.RunAsync("describe");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Source:         Profile", result.Output, StringComparison.Ordinal);
        Assert.Contains($"Role ARN:       {_moto.RoleArn}", result.Output, StringComparison.Ordinal);
        Assert.Contains("Profile:        dev (named by AWS_PROFILE)", result.Output, StringComparison.Ordinal);
        Assert.Contains("Account id:     123456789012", result.Output, StringComparison.Ordinal);
        AssertNoSecret(result);
    }

    [Fact]
    public async Task Whoami_ProfileRoleChain_IsTheAssumedRole()
    {
        WriteRoleChainProfiles();

        ProcessResult result = await _tool.RunAsync("--profile", "dev", "whoami");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Arn:     arn:aws:sts::123456789012:assumed-role/cli-dev/cli-session", result.Output, StringComparison.Ordinal);
        AssertNoSecret(result);
    }

    [Fact]
    public async Task Describe_WebIdentity_ShowsRoleAndExpiryWithoutToken()
    {
        UseWebIdentity();

        ProcessResult result = await _tool.RunAsync("describe", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement;
        Assert.Equal("WebIdentity", root.GetProperty("source").GetString());
        Assert.Equal(_moto.RoleArn, root.GetProperty("roleArn").GetString());
        Assert.Equal("123456789012", root.GetProperty("accountId").GetString());
        Assert.True(root.GetProperty("temporary").GetBoolean());
        Assert.InRange(root.GetProperty("expiresInSeconds").GetInt64(), 60, 12 * 3600);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("ignoredRoleSetting").ValueKind);

        JsonElement[] sources = root.GetProperty("sources").EnumerateArray().ToArray();
        Assert.Equal("chosen", sources.Single(s => s.GetProperty("name").GetString() == "WebIdentity").GetProperty("status").GetString());
        Assert.All(
            sources.TakeWhile(s => s.GetProperty("name").GetString() != "WebIdentity"),
            s => Assert.Equal("unavailable", s.GetProperty("status").GetString()));
        AssertNoSecret(result);
    }

    [Fact]
    public async Task Export_WebIdentity_WritesExpiringSessionCredentials()
    {
        UseWebIdentity();

        ProcessResult result = await _tool.RunAsync("export", "--format", "process");

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement;
        Assert.Equal(["Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"], root.EnumerateObject().Select(p => p.Name).ToArray());
        DateTimeOffset expiration = DateTimeOffset.Parse(root.GetProperty("Expiration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(expiration > DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.DoesNotContain("DoNotPrint", result.AllText, StringComparison.Ordinal);
    }
}
