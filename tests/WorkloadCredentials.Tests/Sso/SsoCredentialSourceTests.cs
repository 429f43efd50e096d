using System.Text.Json;
using Microsoft.Extensions.Logging;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Sso.Internal;

namespace WorkloadCredentials.Tests.Sso;

/// <summary>
/// IAM Identity Center profiles end to end through the profile source, against a loopback portal, OIDC and STS: a valid token, a
/// refresh written back, a rejected refresh, the portal's 401, 403 and 500, a corrupted and a missing cache file, the legacy form,
/// role chaining on top, and one CreateToken for many concurrent callers. Each test checks the calls made and that no secret leaks.
/// </summary>
public sealed class SsoCredentialSourceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ValidToken_GetsRoleCredentialsWithTheBearerToken_AndNoRefresh()
    {
        await using SsoFakeServer server = await SsoFakeServer.StartAsync();
        using var harness = new SsoTestHarness(server);
        harness.WriteToken(harness.SessionTokenPath, SsoTestHarness.Now.AddHours(8));
        string before = File.ReadAllText(harness.SessionTokenPath);

        AwsCredentials credentials = await harness.CreateProfileSource().GetCredentialsAsync(Cancel);

        Assert.Equal((SsoFakeServer.RoleAccessKeyId, SsoFakeServer.RoleSecret, SsoFakeServer.RoleSessionToken), (credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
        Assert.Equal("123456789012", credentials.AccountId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(SsoFakeServer.RoleExpirationMs), credentials.Expiration);
        Assert.Equal("Profile", credentials.SourceName);
        var call = Assert.Single(server.Requests);
        Assert.Equal("GET", call.Method);
        Assert.Contains("account_id=123456789012", call.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("role_name=Admin", call.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(SsoTestHarness.AccessToken, call.Header("x-amz-sso_bearer_token"));
        Assert.Equal(0, server.CreateTokenCalls);
        Assert.Equal(before, File.ReadAllText(harness.SessionTokenPath));
        harness.AssertNoSecrets(credentials.ToString());
    }

    [Fact]
    public async Task TokenWithinTheRefreshWindow_IsRefreshedOnce_AndWrittenBackAtomicallyOwnerOnly()
    {
        await using SsoFakeServer server = await SsoFakeServer.StartAsync();
        server.AcceptedAccessToken = server.NewAccessToken;
        using var harness = new SsoTestHarness(server);
        harness.WriteToken(harness.SessionTokenPath, SsoTestHarness.Now.AddMinutes(10));

        AwsCredentials credentials = await harness.CreateProfileSource().GetCredentialsAsync(Cancel);

        Assert.Equal(SsoFakeServer.RoleAccessKeyId, credentials.AccessKeyId);
        Assert.Equal(1, server.CreateTokenCalls);
        using (JsonDocument sent = JsonDocument.Parse(Assert.Single(server.TokenBodies)))
        {
            Assert.Equal("refresh_token", sent.RootElement.GetProperty("grantType").GetString());
            Assert.Equal(SsoTestHarness.RefreshToken, sent.RootElement.GetProperty("refreshToken").GetString());
            Assert.Equal("client-id-1", sent.RootElement.GetProperty("clientId").GetString());
            Assert.Equal(SsoTestHarness.ClientSecret, sent.RootElement.GetProperty("clientSecret").GetString());
        }

        Assert.Equal(["POST /token", "GET /federation/credentials"], server.Requests.Select(r => r.Method + " " + r.PathAndQuery.Split('?')[0]));
        Assert.Equal(server.NewAccessToken, server.Requests[1].Header("x-amz-sso_bearer_token"));

        using (JsonDocument written = JsonDocument.Parse(File.ReadAllText(harness.SessionTokenPath)))
        {
            JsonElement root = written.RootElement;
            Assert.Equal(server.NewAccessToken, root.GetProperty("accessToken").GetString());
            Assert.Equal(SsoTokenCacheFile.FormatDate(SsoTestHarness.Now.AddSeconds(server.ExpiresInSeconds)), root.GetProperty("expiresAt").GetString());
            Assert.Equal(server.NewRefreshToken, root.GetProperty("refreshToken").GetString());
            Assert.Equal(("client-id-1", SsoTestHarness.ClientSecret, SsoTestHarness.StartUrl, "eu-west-1"), (root.GetProperty("clientId").GetString(), root.GetProperty("clientSecret").GetString(), root.GetProperty("startUrl").GetString(), root.GetProperty("region").GetString()));
        }

        Assert.Equal([SsoTokenCacheFile.FileName("dev")], Directory.GetFiles(Path.GetDirectoryName(harness.SessionTokenPath)!).Select(Path.GetFileName)); // no temporary file left
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(harness.SessionTokenPath));
        }

        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Id.Id == WorkloadCredentials.Internal.LogEventIds.Sso + 3 && r.Message.Contains(harness.SessionTokenPath, StringComparison.Ordinal));
        harness.AssertNoSecrets(credentials.ToString());
    }

    [Fact]
    public async Task ExpiredToken_RefreshRejected_FailsNamingTheLoginCommand_AndLeavesTheFile()
    {
        await using SsoFakeServer server = await SsoFakeServer.StartAsync();
        server.CreateTokenStatus = 400;
        using var harness = new SsoTestHarness(server);
        harness.WriteToken(harness.SessionTokenPath, SsoTestHarness.Now.AddMinutes(-1));
        string before = File.ReadAllText(harness.SessionTokenPath);

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await harness.CreateProfileSource().GetCredentialsAsync(Cancel));

        Assert.False(ex.IsRecoverable);
        Assert.Contains("the token of sso-session 'dev' expired at 2029-06-01T11:59:00Z and SSO OIDC at", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rejected its refresh (HTTP 400 InvalidGrantException). Run `aws sso login --sso-session dev` to sign in again.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.CreateTokenCalls);
        Assert.Equal(0, server.PortalCalls);
        Assert.Equal(before, File.ReadAllText(harness.SessionTokenPath));
        harness.AssertNoSecrets(ex.ToString());
    }

    [Fact]
    public async Task TokenStillValid_RefreshRejected_UsesTheCurrentToken_AndWarns()
    {
        await using SsoFakeServer server = await SsoFakeServer.StartAsync();
        server.CreateTokenStatus = 400;
        using var harness = new SsoTestHarness(server);
        harness.WriteToken(harness.SessionTokenPath, SsoTestHarness.Now.AddMinutes(5));

        AwsCredentials credentials = await harness.CreateProfileSource().GetCredentialsAsync(Cancel);

        Assert.Equal(SsoFakeServer.RoleAccessKeyId, credentials.AccessKeyId);
        Assert.Equal((1, 1), (server.CreateTokenCalls, server.PortalCalls));
        Assert.Equal(SsoTestHarness.AccessToken, server.Requests[1].Header("x-amz-sso_bearer_token"));
        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Id.Id == WorkloadCredentials.Internal.LogEventIds.Sso + 4 && r.Message.Contains("HTTP 400 InvalidGrantException", StringComparison.Ordinal));
        harness.AssertNoSecrets();
    }

    [Theory]
    [InlineData(401, false, "refused the token of sso-session 'dev' (HTTP 401 UnauthorizedException): the sign-in has expired or was revoked. Run `aws sso login --sso-session dev`")]
    [InlineData(403, false, "refused role 'Admin' in account 123456789012 (HTTP 403 ForbiddenException): the signed-in user has no assignment of that permission set in that account. Check sso_account_id and sso_role_name of profile 'dev'")]
    [InlineData(500, true, "an error occurred while loading credentials for role 'Admin' in account 123456789012 from the IAM Identity Center portal at")]
    public async Task PortalRefusesOrFails_ErrorNamesTheFix_RecoverableOnlyForServerErrors(int status, bool recoverable, string phrase)
    {
        await using SsoFakeServer server = await SsoFakeServer.StartAsync();
        server.PortalStatus = status;
        using var harness = new SsoTestHarness(server);
        harness.WriteToken(harness.SessionTokenPath, SsoTestHarness.Now.AddHours(8));

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await harness.CreateProfileSource().GetCredentialsAsync(Cancel));

        Assert.Equal(recoverable, ex.IsRecoverable);
        Assert.Contains(phrase, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("Profile: IAM Identity Center (SSO) settings of profile 'dev'", ex.Message, StringComparison.Ordinal);
        Assert.Equal((0, 1), (server.CreateTokenCalls, server.PortalCalls)); // no SDK retry: the cache retries later
        harness.AssertNoSecrets(ex.ToString());
    }

    [Theory]
    [InlineData("{ not json", "is corrupted: it is not valid JSON")]
    [InlineData("[1, 2]", "is corrupted: it is not a JSON object")]
    [InlineData("{\"expiresAt\": \"2030-01-01T00:00:00Z\"}", "is corrupted: it has no accessToken")]
    [InlineData("{\"accessToken\": \"access-TOKEN-do-not-log\", \"expiresAt\": \"soon\"}", "is corrupted: its expiresAt is not a date")]
    public async Task CorruptedCacheFile_FailsNamingTheFileAndTheLoginCommand_WithoutACall(string content, string phrase)
    {
        await using SsoFakeServer server = await SsoFakeServer.StartAsync();
        using var harness = new SsoTestHarness(server);
        harness.WriteToken(harness.SessionTokenPath, SsoTestHarness.Now.AddHours(8));
        File.WriteAllText(harness.SessionTokenPath, content);

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await harness.CreateProfileSource().GetCredentialsAsync(Cancel));

        Assert.False(ex.IsRecoverable);
        Assert.Contains($"the token cache file {harness.SessionTokenPath} of sso-session 'dev' {phrase}. Run `aws sso login --sso-session dev` to write it again.", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
        harness.AssertNoSecrets(ex.ToString());
    }

    [Fact]
    public async Task MissingCacheFile_FailsNamingThePathAndTheLoginCommand_WithoutACall()
    {
        await using SsoFakeServer server = await SsoFakeServer.StartAsync();
        using var harness = new SsoTestHarness(server);

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await harness.CreateProfileSource().GetCredentialsAsync(Cancel));

        Assert.False(ex.IsRecoverable);
        Assert.Contains($"no cached token of sso-session 'dev': {harness.SessionTokenPath} does not exist. Run `aws sso login --sso-session dev` to sign in.", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task LegacyForm_ReadsTheTokenKeyedByTheStartUrl_AndIsNeverRefreshed()
    {
        await using SsoFakeServer server = await SsoFakeServer.StartAsync();
        using var harness = new SsoTestHarness(server, SsoTestHarness.LegacyConfig);
        harness.WriteToken(harness.LegacyTokenPath, SsoTestHarness.Now.AddMinutes(5));

        AwsCredentials credentials = await harness.CreateProfileSource().GetCredentialsAsync(Cancel);
        Assert.Equal(SsoFakeServer.RoleAccessKeyId, credentials.AccessKeyId);

        harness.Time.Advance(TimeSpan.FromMinutes(6));
        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await harness.CreateProfileSource().GetCredentialsAsync(Cancel));

        Assert.Contains("the token of start URL https://d-abc123.awsapps.com/start expired at 2029-06-01T12:05:00Z and cannot be refreshed: the legacy form (sso_start_url in the profile) has no refresh token", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Run `aws sso login --profile dev` to sign in again.", ex.Message, StringComparison.Ordinal);
        Assert.Equal((0, 1), (server.CreateTokenCalls, server.PortalCalls));
    }

    [Fact]
    public async Task ExpiredToken_WithoutRefreshToken_FailsNamingTheLoginCommand()
    {
        await using SsoFakeServer server = await SsoFakeServer.StartAsync();
        using var harness = new SsoTestHarness(server);
        harness.WriteToken(harness.SessionTokenPath, SsoTestHarness.Now.AddSeconds(-1), refreshable: false);

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await harness.CreateProfileSource().GetCredentialsAsync(Cancel));

        Assert.Contains("cannot be refreshed: the cache file holds no refresh token. Run `aws sso login --sso-session dev` to sign in again.", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task ManyConcurrentCallers_DuringARefresh_MakeOneCreateTokenCall()
    {
        await using SsoFakeServer server = await SsoFakeServer.StartAsync();
        server.AcceptedAccessToken = server.NewAccessToken;
        server.CreateTokenDelay = TimeSpan.FromMilliseconds(300);
        using var harness = new SsoTestHarness(server);
        harness.WriteToken(harness.SessionTokenPath, SsoTestHarness.Now.AddMinutes(1));

        // Two profile sources (two applications' chains in one process) and 16 callers each.
        ProfileCredentialSource[] sources = [harness.CreateProfileSource(), harness.CreateProfileSource()];
        AwsCredentials[] all = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => sources[i % 2].GetCredentialsAsync(Cancel).AsTask()));

        Assert.All(all, c => Assert.Equal(SsoFakeServer.RoleAccessKeyId, c.AccessKeyId));
        Assert.Equal(1, server.CreateTokenCalls);
        Assert.Equal(32, server.PortalCalls);
        Assert.All(server.Requests.Where(r => r.PathAndQuery.StartsWith("/federation", StringComparison.Ordinal)), r => Assert.Equal(server.NewAccessToken, r.Header("x-amz-sso_bearer_token")));
        harness.AssertNoSecrets();
    }

    [Fact]
    public async Task RoleOnTopOfAnSsoProfile_IsRoleChaining_DurationCappedAtOneHour()
    {
        await using SsoFakeServer server = await SsoFakeServer.StartAsync();
        string config = SsoTestHarness.SessionConfig.Replace("[profile dev]", "[profile sso]", StringComparison.Ordinal)
            + "[profile dev]\nrole_arn = arn:aws:iam::210987654321:role/top\nsource_profile = sso\nduration_seconds = 7200\nregion = eu-west-1\n";
        using var harness = new SsoTestHarness(server, config);
        harness.WriteToken(harness.SessionTokenPath, SsoTestHarness.Now.AddHours(8));

        AwsCredentials credentials = await harness.CreateProfileSource().GetCredentialsAsync(Cancel);

        Assert.Equal(("ASIACHAINED000000001", "210987654321"), (credentials.AccessKeyId, credentials.AccountId));
        Assert.Equal(1, server.PortalCalls);
        string assumeRole = Assert.Single(server.StsBodies);
        Assert.Contains("DurationSeconds=3600", assumeRole, StringComparison.Ordinal);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=" + SsoFakeServer.RoleAccessKeyId + "/", server.Requests[^1].Header("Authorization"), StringComparison.Ordinal);
        harness.AssertNoSecrets(credentials.ToString());
    }

    [Fact]
    public async Task ProfileWithoutAccountAndRole_ResolvesATokenNotCredentials_FailsWithoutACall()
    {
        await using SsoFakeServer server = await SsoFakeServer.StartAsync();
        using var harness = new SsoTestHarness(server, SsoTestHarness.SessionConfig.Replace("sso_account_id = 123456789012\nsso_role_name = Admin\n", string.Empty, StringComparison.Ordinal));
        harness.WriteToken(harness.SessionTokenPath, SsoTestHarness.Now.AddHours(8));

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await harness.CreateProfileSource().GetCredentialsAsync(Cancel));

        Assert.Contains("the selected profile will resolve an access token instead of credentials", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Add sso_account_id and sso_role_name to profile 'dev'.", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }
}
