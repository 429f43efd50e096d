using WorkloadCredentials.Sts.Internal;
using WorkloadCredentials.Tests.Sts.Fakes;
using WorkloadCredentials.WebIdentity.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.WebIdentity;

public sealed class WebIdentityCredentialSourceTests : IDisposable
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/app-role";
    private const string TokenA = "eyJhbGciOiJSUzI1NiJ9.token-A-payload.signature-A";
    private const string TokenB = "eyJhbGciOiJSUzI1NiJ9.token-B-payload.signature-B";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
    private const string SessionToken = "FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue";
    private static readonly DateTimeOffset Expiration = new(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private readonly StsTestHarness _harness = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _harness.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task GetCredentialsAsync_EnvironmentConfigured_SendsUnsignedRequestAndMapsCredentials()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Ok(StsXml.AssumeRoleWithWebIdentity("ASIAWEBIDENTITY1", Secret, SessionToken, Expiration)));
        string tokenFile = _temp.Write("token", "  " + TokenA + "\n");
        _harness.UseEndpoint(server.Endpoint);
        _harness.Environment["AWS_ROLE_ARN"] = RoleArn;
        _harness.Environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile;
        _harness.Environment["AWS_ROLE_SESSION_NAME"] = "my-session";

        AwsCredentials credentials = await WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("ASIAWEBIDENTITY1", credentials.AccessKeyId);
        Assert.Equal(Secret, credentials.SecretAccessKey);
        Assert.Equal(SessionToken, credentials.SessionToken);
        Assert.Equal(Expiration, credentials.Expiration);
        Assert.Equal("123456789012", credentials.AccountId);
        Assert.Equal(RoleArn, credentials.RoleArn);
        Assert.Equal("WebIdentity", credentials.SourceName);

        StsRecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("AssumeRoleWithWebIdentity", request.Action);
        Assert.Equal(RoleArn, request.Form["RoleArn"]);
        Assert.Equal("my-session", request.Form["RoleSessionName"]);
        Assert.Equal(TokenA, request.Form["WebIdentityToken"]);
        Assert.Equal("3600", request.Form["DurationSeconds"]);
        Assert.Null(request.Authorization);
        AssertNoSecrets(_harness.LogText());
    }

    [Fact]
    public async Task GetCredentialsAsync_OptionsSet_WinOverEnvironment()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Ok(StsXml.AssumeRoleWithWebIdentity("ASIAWEBIDENTITY1", Secret, SessionToken, Expiration)));
        _harness.UseEndpoint(server.Endpoint);
        _harness.Environment["AWS_ROLE_ARN"] = "arn:aws:iam::111111111111:role/from-env";
        _harness.Environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _temp.Write("env-token", TokenB);
        _harness.Options.WebIdentity.RoleArn = RoleArn;
        _harness.Options.WebIdentity.WebIdentityTokenFile = _temp.Write("options-token", TokenA);
        _harness.Options.WebIdentity.RoleSessionName = "from-options";
        _harness.Options.WebIdentity.Duration = TimeSpan.FromMinutes(30);

        AwsCredentials credentials = await WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken);

        StsRecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal(RoleArn, request.Form["RoleArn"]);
        Assert.Equal(TokenA, request.Form["WebIdentityToken"]);
        Assert.Equal("from-options", request.Form["RoleSessionName"]);
        Assert.Equal("1800", request.Form["DurationSeconds"]);
        Assert.Equal(RoleArn, credentials.RoleArn);
    }

    [Fact]
    public async Task GetCredentialsAsync_NoSessionName_SendsValidDefaultName()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Ok(StsXml.AssumeRoleWithWebIdentity("ASIAWEBIDENTITY1", Secret, SessionToken, Expiration)));
        Configure(server);

        _ = await WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken);

        string name = Assert.Single(server.Requests).Form["RoleSessionName"];
        Assert.Null(StsValidation.RoleSessionName(name, "name"));
        Assert.Contains('@', name);
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenRotatedBetweenRefreshes_SendsNewToken()
    {
        await using var server = await StsFaultServer.StartAsync(r => StsReply.Ok(StsXml.AssumeRoleWithWebIdentity($"ASIAWEBIDENTITY{r.Index}", Secret, SessionToken, Expiration)));
        string tokenFile = Configure(server);
        var source = WebIdentitySourceFactory.FromContext(_harness.Context());

        AwsCredentials first = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
        File.WriteAllText(tokenFile, TokenB);
        AwsCredentials second = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["ASIAWEBIDENTITY0", "ASIAWEBIDENTITY1"], new[] { first.AccessKeyId, second.AccessKeyId });
        Assert.Equal([TokenA, TokenB], server.Requests.Select(r => r.Form["WebIdentityToken"]));
    }

    [Theory]
    [InlineData("ExpiredTokenException")]
    [InlineData("InvalidIdentityToken")]
    public async Task GetCredentialsAsync_TokenRejectedAndFileRotated_RereadsAndRetriesOnce(string code)
    {
        string tokenFile = _temp.Write("token", TokenA);
        await using var server = await StsFaultServer.StartAsync(r =>
        {
            if (r.Index == 0)
            {
                File.WriteAllText(tokenFile, TokenB); // the kubelet rotates the token while the old one is in flight
                return StsReply.Error(400, code, "Token is expired");
            }

            return StsReply.Ok(StsXml.AssumeRoleWithWebIdentity("ASIAWEBIDENTITY1", Secret, SessionToken, Expiration));
        });
        Configure(server, tokenFile);

        AwsCredentials credentials = await WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("ASIAWEBIDENTITY1", credentials.AccessKeyId);
        Assert.Equal([TokenA, TokenB], server.Requests.Select(r => r.Form["WebIdentityToken"]));
        Assert.Single(_harness.Records(StsLog.IdTokenRotatedRetry));
    }

    [Fact]
    public async Task GetCredentialsAsync_ExpiredTokenAndFileUnchanged_FailsRecoverableAfterOneCall()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Error(400, "ExpiredTokenException", "Token expired: current date/time 1700000000 must be before the expiration date/time 1690000000"));
        string tokenFile = Configure(server);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(1, server.CallCount);
        Assert.True(ex.IsRecoverable);
        Assert.Equal("WebIdentity", ex.SourceName);
        Assert.Equal(
            $"WebIdentity: sts:AssumeRoleWithWebIdentity for role {RoleArn} failed: the web identity token in {tokenFile} has expired (ExpiredTokenException: Token expired: current date/time 1700000000 must be before the expiration date/time 1690000000) and the file holds no newer token. Check that whatever writes the file (the kubelet for EKS) still rotates it.",
            ex.Message);
        AssertNoSecrets(ex.ToString() + _harness.LogText());
    }

    [Fact]
    public async Task GetCredentialsAsync_InvalidIdentityToken_NonRecoverableNamingRoleAndFix()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Error(400, "InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://oidc.eks.example/id/ABC"));
        string tokenFile = Configure(server);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(1, server.CallCount);
        Assert.False(ex.IsRecoverable);
        Assert.Equal(
            $"WebIdentity: sts:AssumeRoleWithWebIdentity for role {RoleArn} failed: STS rejected the web identity token read from {tokenFile} (InvalidIdentityToken: No OpenIDConnect provider found in your account for https://oidc.eks.example/id/ABC). Check that the role's account has an IAM OIDC identity provider for the token's issuer and that its audiences include the token's audience.",
            ex.Message);
        AssertNoSecrets(ex.ToString() + _harness.LogText());
    }

    [Fact]
    public async Task GetCredentialsAsync_AccessDenied_SurfacedAtOnceWithRoleAndTrustPolicyFix()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Error(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"));
        Configure(server);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(1, server.CallCount);
        Assert.False(ex.IsRecoverable);
        Assert.Equal(
            $"WebIdentity: sts:AssumeRoleWithWebIdentity for role {RoleArn} failed: STS denied it (AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity). Check the role's trust policy: it must allow sts:AssumeRoleWithWebIdentity for the OIDC provider that issued the token, with conditions that match the token's audience (aud, usually sts.amazonaws.com) and subject (sub, system:serviceaccount:<namespace>:<service-account>).",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_ServerEchoesToken_TokenScrubbedFromMessage()
    {
        await using var server = await StsFaultServer.StartAsync(r => StsReply.Error(400, "IDPRejectedClaim", "claim rejected for token " + r.Form["WebIdentityToken"]));
        Configure(server);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.False(ex.IsRecoverable);
        Assert.Contains("claim rejected for token ***", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TokenA, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_NotConfigured_ThrowsUnavailable()
    {
        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("WebIdentity: AWS_WEB_IDENTITY_TOKEN_FILE is not set.", ex.Message);
        Assert.Equal("WebIdentity", ex.SourceName);
    }

    [Fact]
    public async Task GetCredentialsAsync_RoleArnWithoutTokenFile_ThrowsUnavailableNamingBoth()
    {
        _harness.Environment["AWS_ROLE_ARN"] = RoleArn;

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("WebIdentity: AWS_WEB_IDENTITY_TOKEN_FILE is not set (AWS_ROLE_ARN is set, but web identity needs both).", ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenFileWithoutRoleArn_ThrowsNonRecoverable()
    {
        _harness.Environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _temp.Write("token", TokenA);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.IsNotType<CredentialUnavailableException>(ex);
        Assert.False(ex.IsRecoverable);
        Assert.Equal("WebIdentity: AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not; set AWS_ROLE_ARN (or AWS:WebIdentity:RoleArn) to the role to assume.", ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenFileMissing_NamesPathWithoutCallingSts()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Ok("unused"));
        string missing = Path.Combine(_temp.Path, "no-such-token");
        Configure(server, missing);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(0, server.CallCount);
        Assert.Equal(
            $"WebIdentity: the web identity token file {missing} (from AWS_WEB_IDENTITY_TOKEN_FILE) does not exist. Check that the token volume is mounted (EKS: the service account has the eks.amazonaws.com/role-arn annotation) or fix the setting.",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenFileEmpty_NamesPath()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Ok("unused"));
        string empty = _temp.Write("empty", " \n\t ");
        Configure(server, empty);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(0, server.CallCount);
        Assert.Equal($"WebIdentity: the web identity token file {empty} (from AWS_WEB_IDENTITY_TOKEN_FILE) is empty. Check that whatever writes the token (the kubelet for EKS) has written it.", ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenFileTooLarge_NamesPathNotContent()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Ok("unused"));
        string large = _temp.Write("large", new string('x', (64 * 1024) + 1));
        Configure(server, large);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(0, server.CallCount);
        Assert.Equal($"WebIdentity: the web identity token file {large} (from AWS_WEB_IDENTITY_TOKEN_FILE) is larger than 64 KiB, which no web identity token is. Check that the setting names the token file.", ex.Message);
        Assert.DoesNotContain("xxxx", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenFileIsDirectory_NamesPath()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Ok("unused"));
        Configure(server, _temp.Path);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal($"WebIdentity: the web identity token file {_temp.Path} (from AWS_WEB_IDENTITY_TOKEN_FILE) is a directory, not a file. Point AWS_WEB_IDENTITY_TOKEN_FILE at the token file.", ex.Message);
    }

    [Fact]
    public async Task Create_PlainParameters_UsesGivenSourceNameAndSettings()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Ok(StsXml.AssumeRoleWithWebIdentity("ASIAWEBIDENTITY1", Secret, SessionToken, Expiration)));
        _harness.UseEndpoint(server.Endpoint);
        WebIdentitySettings settings = WebIdentitySettings.Create(RoleArn, _temp.Write("token", TokenA), "profile-session", TimeSpan.FromMinutes(20), "role_arn in profile A", "web_identity_token_file in profile A", sourceName: "Profile");
        StsClientSettings sts = StsSettingsResolver.Resolve(_harness.Options, _harness.Environment, allowAnyHttpHost: false, "Profile");

        using WorkloadCredentials.WebIdentity.WebIdentityCredentialSource source = WebIdentitySourceFactory.Create(_harness.Context(), settings, sts);
        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("Profile", credentials.SourceName);
        Assert.Equal("1200", Assert.Single(server.Requests).Form["DurationSeconds"]);
        var ex = Assert.Throws<AwsCredentialException>(() => WebIdentitySettings.Create("arn:aws:iam::123:user/bob", "/t", roleArnSetting: "role_arn in profile A", sourceName: "Profile"));
        Assert.Equal("Profile: role_arn in profile A is not an IAM role ARN: expected arn:aws:iam::<account-id>:role/<name>, got 'arn:aws:iam::123:user/bob'.", ex.Message);
    }

    private string Configure(StsFaultServer server, string? tokenFile = null)
    {
        tokenFile ??= _temp.Write("token", TokenA);
        _harness.UseEndpoint(server.Endpoint);
        _harness.Environment["AWS_ROLE_ARN"] = RoleArn;
        _harness.Environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile;
        return tokenFile;
    }

    private static void AssertNoSecrets(string text)
    {
        Assert.DoesNotContain(TokenA, text, StringComparison.Ordinal);
        Assert.DoesNotContain(TokenB, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionToken, text, StringComparison.Ordinal);
    }
}
