using System.Text.Json;
using WorkloadCredentials.Sso.Internal;
using WorkloadCredentials.Tests.Sso;

namespace WorkloadCredentials.Tests.Tool;

/// <summary>
/// <c>describe</c> of an IAM Identity Center (SSO) profile, as a real process against the loopback portal fake
/// (<c>AWS_ENDPOINT_URL_SSO</c>): the session or start URL, the account, the role and the cached token's expiry, and never the
/// access token, the refresh token, the client secret or the role's secret keys, whole or in part.
/// </summary>
public sealed class DescribeSsoTests : IAsyncLifetime
{
    private const string SessionConfig =
        "[profile dev]\nsso_session = dev\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = eu-west-1\n"
        + "[sso-session dev]\nsso_region = eu-west-1\nsso_start_url = " + SsoTestHarness.StartUrl + "\n";

    private const string LegacyConfig =
        "[profile dev]\nsso_start_url = " + SsoTestHarness.StartUrl + "\nsso_region = eu-west-1\nsso_account_id = 123456789012\nsso_role_name = Admin\n";

    private static readonly string[] Secrets =
    [
        SsoTestHarness.AccessToken, SsoTestHarness.RefreshToken, SsoTestHarness.ClientSecret, SsoFakeServer.RoleSecret, SsoFakeServer.RoleSessionToken,
    ];

    private readonly ToolRunner _tool = new();
    private SsoFakeServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await SsoFakeServer.StartAsync();
        _tool.Environment["AWS_ENDPOINT_URL_SSO"] = _server.Endpoint.ToString();
        _tool.Environment["AWS_ENDPOINT_URL_SSO_OIDC"] = _server.Endpoint.ToString();
        _tool.Environment["AWS_REGION"] = "eu-west-1";
    }

    public async ValueTask DisposeAsync()
    {
        _tool.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Describe_SsoSessionProfile_ShowsSessionAccountRoleAndTokenExpiry_NoTokenOrSecret()
    {
        _tool.WriteFile(".aws/config", SessionConfig);
        DateTimeOffset expiresAt = DateTimeOffset.UtcNow.AddHours(6);
        WriteToken("dev", expiresAt);

        ProcessResult text = await _tool.RunAsync("--profile", "dev", "describe");
        ProcessResult json = await _tool.RunAsync("--profile", "dev", "describe", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("IAM Identity Center (SSO) settings of profile 'dev' (sso-session 'dev', account 123456789012, role Admin)", text.Output, StringComparison.Ordinal);
        Assert.Matches(@"SSO token:\s+expires \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 5h 5\dm", text.Output);
        Assert.True(json.ExitCode == 0, json.ToString());
        using JsonDocument document = JsonDocument.Parse(json.Output);
        JsonElement profile = document.RootElement.GetProperty("profile");
        Assert.Equal(SsoTokenCacheFile.FormatDate(expiresAt), profile.GetProperty("ssoTokenExpiration").GetString());
        Assert.InRange(profile.GetProperty("ssoTokenExpiresInSeconds").GetInt64(), 5 * 3600, 6 * 3600);
        Assert.Equal(2, _server.PortalCalls);
        Assert.Equal(0, _server.CreateTokenCalls);
        AssertNoSecret(text);
        AssertNoSecret(json);
    }

    [Fact]
    public async Task Describe_LegacyProfile_ShowsStartUrlAndTokenExpiry()
    {
        _tool.WriteFile(".aws/config", LegacyConfig);
        WriteToken(SsoTestHarness.StartUrl, DateTimeOffset.UtcNow.AddMinutes(50), refreshable: false);

        ProcessResult text = await _tool.RunAsync("--profile", "dev", "describe");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"(start URL {SsoTestHarness.StartUrl}, account 123456789012, role Admin)", text.Output, StringComparison.Ordinal);
        Assert.Matches(@"SSO token:\s+expires \S+ \(in (4\d|50)m \d+s; renewed by aws sso login\)", text.Output);
        AssertNoSecret(text);
    }

    [Fact]
    public async Task Describe_NoCachedToken_FailsNamingTheLoginCommand_NoPortalCall()
    {
        _tool.WriteFile(".aws/config", SessionConfig);

        ProcessResult text = await _tool.RunAsync("--profile", "dev", "describe");

        Assert.NotEqual(0, text.ExitCode);
        Assert.Contains("aws sso login --sso-session dev", text.AllText, StringComparison.Ordinal);
        Assert.Equal(0, _server.PortalCalls);
        AssertNoSecret(text);
    }

    private void WriteToken(string key, DateTimeOffset expiresAt, bool refreshable = true) =>
        _tool.WriteFile(
            Path.Combine(".aws", "sso", "cache", SsoTokenCacheFile.FileName(key)),
            SsoTestHarness.TokenJson(expiresAt, refreshable, DateTimeOffset.UtcNow.AddDays(90)));

    /// <summary>No secret in any output stream, whole or as a fragment of 8 characters or more.</summary>
    private static void AssertNoSecret(ProcessResult result)
    {
        foreach (string secret in Secrets)
        {
            for (int start = 0; start + 8 <= secret.Length; start += 4)
            {
                string fragment = secret.Substring(start, 8);
                if (fragment.Contains("-do-not", StringComparison.Ordinal) || fragment.Contains("do-not-l", StringComparison.Ordinal) || fragment.Contains("not-log", StringComparison.Ordinal))
                {
                    continue; // the marker shared by every fake secret, not a secret
                }

                Assert.DoesNotContain(fragment, result.AllText, StringComparison.Ordinal);
            }
        }
    }
}
