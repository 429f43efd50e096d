using WorkloadCredentials.AssumeRole;
using WorkloadCredentials.AssumeRole.Internal;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Sts.Internal;
using WorkloadCredentials.Tests.Sts.Fakes;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.AssumeRole;

public sealed class AssumeRoleCredentialSourceTests : IDisposable
{
    private const string RoleArn = "arn:aws:iam::210987654321:role/customer-role";
    private const string SourceSecret = "sourceSecretKeyValue0123456789abcdef";
    private const string SourceSessionToken = "sourceSessionTokenValue0123456789";
    private const string IssuedSecret = "issuedSecretKeyValue0123456789abcdef";
    private const string IssuedSessionToken = "issuedSessionTokenValue0123456789";
    private static readonly DateTimeOffset Expiration = new(2031, 2, 3, 4, 5, 6, TimeSpan.Zero);

    private readonly StsTestHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Wrap_NoRoleConfigured_ReturnsChainUnchanged()
    {
        var chain = new QueuedCredentialSource(Keys("AKIDSOURCE"));

        Assert.Same(chain, AssumeRoleChainWrapper.Wrap(chain, _harness.Context()));
    }

    [Fact]
    public async Task GetCredentialsAsync_KeysWithExternalId_SignsWithSourceAndSendsEveryParameter()
    {
        await using var server = await StsFaultServer.StartAsync(_ => Success("arn:aws:sts::210987654321:assumed-role/customer-role/backup"));
        _harness.UseEndpoint(server.Endpoint);
        AssumeRoleCredentialOptions role = _harness.Options.AssumeRole;
        role.RoleArn = RoleArn;
        role.ExternalId = "customer-7f3a:ext/ID";
        role.RoleSessionName = "backup";
        role.Duration = TimeSpan.FromMinutes(45);
        role.Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}""";
        role.Tags["team"] = "backup";
        role.SourceIdentity = "operator@example";
        var source = new QueuedCredentialSource(new AwsCredentials("ASIASOURCE", SourceSecret, SourceSessionToken, null, "StaticKeys"));

        AwsCredentials credentials = await AssumeRoleChainWrapper.Wrap(source, _harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("ASIAISSUED", credentials.AccessKeyId);
        Assert.Equal(IssuedSecret, credentials.SecretAccessKey);
        Assert.Equal(IssuedSessionToken, credentials.SessionToken);
        Assert.Equal(Expiration, credentials.Expiration);
        Assert.Equal("210987654321", credentials.AccountId);
        Assert.Equal(RoleArn, credentials.RoleArn);
        Assert.Equal("AssumeRole", credentials.SourceName);

        StsRecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("AssumeRole", request.Action);
        Assert.Equal(RoleArn, request.Form["RoleArn"]);
        Assert.Equal("customer-7f3a:ext/ID", request.Form["ExternalId"]);
        Assert.Equal("backup", request.Form["RoleSessionName"]);
        Assert.Equal("2700", request.Form["DurationSeconds"]);
        Assert.Equal(role.Policy, request.Form["Policy"]);
        Assert.Equal("team", request.Form["Tags.member.1.Key"]);
        Assert.Equal("backup", request.Form["Tags.member.1.Value"]);
        Assert.Equal("operator@example", request.Form["SourceIdentity"]);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=ASIASOURCE/", request.Authorization, StringComparison.Ordinal);
        Assert.Contains("/eu-west-1/sts/aws4_request", request.Authorization, StringComparison.Ordinal);
        Assert.Equal(SourceSessionToken, request.SecurityToken);
        AssertNoSecrets(_harness.LogText());
    }

    [Fact]
    public async Task GetCredentialsAsync_RoleCredentialsAsSource_CapsDurationAtOneHourAndWarnsOnce()
    {
        await using var server = await StsFaultServer.StartAsync(_ => Success());
        Configure(server, TimeSpan.FromHours(4));
        var source = new QueuedCredentialSource(new AwsCredentials("ASIAWEBID", SourceSecret, SourceSessionToken, Expiration, "WebIdentity") { RoleArn = "arn:aws:iam::123456789012:role/pod-role" });
        IAwsCredentialSource wrapped = AssumeRoleChainWrapper.Wrap(source, _harness.Context());

        _ = await wrapped.GetCredentialsAsync(TestContext.Current.CancellationToken);
        _ = await wrapped.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.All(server.Requests, r => Assert.Equal("3600", r.Form["DurationSeconds"]));
        Assert.Single(_harness.Records(StsLog.IdRoleChainingDurationCapped));
    }

    [Fact]
    public async Task GetCredentialsAsync_StsReportsChainingLimit_RetriesOnceWithOneHour()
    {
        await using var server = await StsFaultServer.StartAsync(r => r.Index == 0
            ? StsReply.Error(400, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
            : Success());
        Configure(server, TimeSpan.FromHours(2));
        var source = new QueuedCredentialSource(new AwsCredentials("ASIAUNKNOWN", SourceSecret, SourceSessionToken, Expiration, "Custom"));

        _ = await AssumeRoleChainWrapper.Wrap(source, _harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["7200", "3600"], server.Requests.Select(r => r.Form["DurationSeconds"]));
    }

    [Fact]
    public async Task GetCredentialsAsync_SourceCredentialsExpired_InvalidatesSourceAndRetriesOnce()
    {
        await using var server = await StsFaultServer.StartAsync(r => r.Index == 0
            ? StsReply.Error(403, "ExpiredToken", "The security token included in the request is expired")
            : Success());
        Configure(server);
        var source = new QueuedCredentialSource(
            new AwsCredentials("ASIAOLD", SourceSecret, SourceSessionToken, Expiration, "InstanceMetadata"),
            new AwsCredentials("ASIANEW", SourceSecret, SourceSessionToken + "2", Expiration, "InstanceMetadata"));

        AwsCredentials credentials = await AssumeRoleChainWrapper.Wrap(source, _harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("ASIAISSUED", credentials.AccessKeyId);
        Assert.Equal(["ASIAOLD"], source.Invalidated);
        Assert.Collection(
            server.Requests,
            r => Assert.Contains("Credential=ASIAOLD/", r.Authorization, StringComparison.Ordinal),
            r => Assert.Contains("Credential=ASIANEW/", r.Authorization, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetCredentialsAsync_SourceCredentialsExpiredAndSourceHasNoNewer_RecoverableAfterOneCall()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Error(403, "ExpiredToken", "The security token included in the request is expired"));
        Configure(server);
        var source = new QueuedCredentialSource(new AwsCredentials("ASIAOLDKEY123", SourceSecret, SourceSessionToken, Expiration, "InstanceMetadata"));

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => AssumeRoleChainWrapper.Wrap(source, _harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(1, server.CallCount);
        Assert.True(ex.IsRecoverable);
        Assert.Equal(
            $"AssumeRole: sts:AssumeRole for role {RoleArn} failed: the source credentials ASIAOLDK*** have expired (ExpiredToken: The security token included in the request is expired). A later refresh asks the source for new ones.",
            ex.Message);
    }

    [Theory]
    [InlineData("customer-external-id", "an External ID is configured")]
    [InlineData(null, "no External ID is configured")]
    public async Task GetCredentialsAsync_AccessDenied_SurfacedAtOnceNamingRoleTrustPolicyAndExternalId(string? externalId, string externalIdNote)
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Error(403, "AccessDenied", "User: arn:aws:iam::123456789012:user/ops is not authorized to perform: sts:AssumeRole on resource: " + RoleArn));
        Configure(server);
        _harness.Options.AssumeRole.ExternalId = externalId;

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => AssumeRoleChainWrapper.Wrap(new QueuedCredentialSource(Keys("AKIDSOURCE")), _harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(1, server.CallCount);
        Assert.False(ex.IsRecoverable);
        Assert.Equal("AssumeRole", ex.SourceName);
        Assert.Equal(
            $"AssumeRole: sts:AssumeRole for role {RoleArn} failed: STS denied it (AccessDenied: User: arn:aws:iam::123456789012:user/ops is not authorized to perform: sts:AssumeRole on resource: {RoleArn}). Check that the role's trust policy lets the source identity call sts:AssumeRole, that the source identity's own policy allows sts:AssumeRole on this role, and that the External ID matches the one the role's trust policy requires ({externalIdNote}).",
            ex.Message);
        Assert.DoesNotContain("customer-external-id", ex.ToString(), StringComparison.Ordinal);
        AssertNoSecrets(ex.ToString() + _harness.LogText());
    }

    [Fact]
    public async Task GetCredentialsAsync_SourceUnavailable_ThrowsUnavailableNamingRole()
    {
        Configure(new Uri("http://127.0.0.1:9"));
        var source = new QueuedCredentialSource(Keys("AKIDSOURCE")) { Error = new CredentialUnavailableException("No credentials: every source was skipped.", "Chain") };

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => AssumeRoleChainWrapper.Wrap(source, _harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal($"AssumeRole: no credentials to assume role {RoleArn} with. No credentials: every source was skipped.", ex.Message);
        Assert.Equal("AssumeRole", ex.SourceName);
    }

    [Fact]
    public async Task GetCredentialsAsync_SourceFails_SourceErrorPropagatesUnchanged()
    {
        Configure(new Uri("http://127.0.0.1:9"));
        var failure = new AwsCredentialException("InstanceMetadata: IMDS answered 500.", "InstanceMetadata", isRecoverable: true);
        var source = new QueuedCredentialSource(Keys("AKIDSOURCE")) { Error = failure };

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => AssumeRoleChainWrapper.Wrap(source, _harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Same(failure, ex);
    }

    [Fact]
    public async Task Wrap_UncachedChain_CachesSourceCredentialsBetweenRoleRefreshes()
    {
        await using var server = await StsFaultServer.StartAsync(_ => Success());
        Configure(server);
        var chain = new UncachedSource(Keys("AKIDSOURCE"));

        IAwsCredentialSource wrapped = AssumeRoleChainWrapper.Wrap(chain, _harness.Context());
        _ = await wrapped.GetCredentialsAsync(TestContext.Current.CancellationToken);
        _ = await wrapped.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.IsType<RefreshingCredentialCache>(Assert.IsType<AssumeRoleCredentialSource>(wrapped).Source);
        Assert.Equal(2, server.CallCount);
        Assert.Equal(1, chain.Calls);
    }

    [Fact]
    public async Task Wrap_InvalidRoleArn_SourceThrowsNonRecoverableNamingOption()
    {
        _harness.Options.AssumeRole.RoleArn = "arn:aws:iam::123456789012:user/not-a-role";

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => AssumeRoleChainWrapper.Wrap(new QueuedCredentialSource(Keys("AKIDSOURCE")), _harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.False(ex.IsRecoverable);
        Assert.Equal("AssumeRole: AWS:AssumeRole:RoleArn is not an IAM role ARN: expected arn:aws:iam::<account-id>:role/<name>, got 'arn:aws:iam::123456789012:user/not-a-role'.", ex.Message);
    }

    [Fact]
    public async Task Create_PlainParameters_WebIdentitySourceChainsIntoAssumeRole()
    {
        await using var server = await StsFaultServer.StartAsync(r => r.Action == "AssumeRoleWithWebIdentity"
            ? StsReply.Ok(StsXml.AssumeRoleWithWebIdentity("ASIAPODROLE", SourceSecret, SourceSessionToken, Expiration))
            : Success());
        _harness.UseEndpoint(server.Endpoint);
        using var temp = new TempDirectory();
        var webSettings = WorkloadCredentials.WebIdentity.Internal.WebIdentitySettings.Create("arn:aws:iam::123456789012:role/pod-role", temp.Write("token", "jwt-chain-token"));
        StsClientSettings sts = StsSettingsResolver.Resolve(_harness.Options, _harness.Environment, allowAnyHttpHost: false, "Profile");
        using var web = WorkloadCredentials.WebIdentity.Internal.WebIdentitySourceFactory.Create(_harness.Context(), webSettings, sts);
        AssumeRoleSettings roleSettings = AssumeRoleSettings.Create(RoleArn, externalId: "ext-id-1", duration: TimeSpan.FromHours(3), names: AssumeRoleSettingNames.ForProfile("B"), sourceName: "Profile");

        using AssumeRoleCredentialSource role = AssumeRoleSourceFactory.Create(_harness.Context(), roleSettings, sts, web);
        AwsCredentials credentials = await role.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("Profile", credentials.SourceName);
        Assert.Equal(["AssumeRoleWithWebIdentity", "AssumeRole"], server.Requests.Select(r => r.Action));
        Assert.Null(server.Requests[0].Authorization);
        Assert.Contains("Credential=ASIAPODROLE/", server.Requests[1].Authorization, StringComparison.Ordinal);
        Assert.Equal("3600", server.Requests[1].Form["DurationSeconds"]); // role chaining: capped at one hour
        var ex = Assert.Throws<AwsCredentialException>(() => AssumeRoleSettings.Create(RoleArn, externalId: "x", names: AssumeRoleSettingNames.ForProfile("B"), sourceName: "Profile"));
        Assert.Equal("Profile: external_id in profile B must be 2-1224 characters of letters, digits and + = , . @ : / _ - (got 1 characters; the value is not shown).", ex.Message);
    }

    private static AwsCredentials Keys(string accessKeyId) => new(accessKeyId, SourceSecret, null, null, "StaticKeys");

    private static StsReply Success(string assumedRoleArn = "arn:aws:sts::210987654321:assumed-role/customer-role/session") =>
        StsReply.Ok(StsXml.AssumeRole("ASIAISSUED", IssuedSecret, IssuedSessionToken, Expiration, assumedRoleArn));

    private void Configure(StsFaultServer server, TimeSpan? duration = null) => Configure(server.Endpoint, duration);

    private void Configure(Uri endpoint, TimeSpan? duration = null)
    {
        _harness.UseEndpoint(endpoint);
        _harness.Options.AssumeRole.RoleArn = RoleArn;
        _harness.Options.AssumeRole.Duration = duration;
    }

    private static void AssertNoSecrets(string text)
    {
        Assert.DoesNotContain(SourceSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SourceSessionToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(IssuedSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(IssuedSessionToken, text, StringComparison.Ordinal);
    }

    private sealed class UncachedSource(AwsCredentials credentials) : IAwsCredentialSource
    {
        public int Calls { get; private set; }

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
        {
            Calls++;
            return ValueTask.FromResult(credentials);
        }
    }
}
