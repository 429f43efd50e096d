using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using WorkloadCredentials.AssumeRole.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Sts.Fakes;
using WorkloadCredentials.WebIdentity.Internal;

namespace WorkloadCredentials.Tests.AssumeRole;

/// <summary>
/// sts:AssumeRole against a real moto_server with signature and IAM policy checks on: the free actions
/// (INITIAL_NO_AUTH_ACTION_COUNT) cover only the IAM set-up (and the unsigned web identity call in the chain test).
/// </summary>
public sealed class AssumeRoleMotoTests : IDisposable
{
    private readonly StsTestHarness _harness = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _harness.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task GetCredentialsAsync_Moto_KeysAssumeRoleWithExternalId_CallerIdentityIsRole()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        // Free actions: the user (3) and the role (2). Every STS call below is signed and checked, the trust policy's External ID too.
        await using MotoServer moto = await MotoServer.StartAsync(initialNoAuthActionCount: 5, ct);
        var iam = new MotoIam(moto);
        (string key, string secret, string userArn) = await iam.CreateUserWithKeyAsync("management", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""");
        string trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"USER"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"customer-7f3a"}}}]}""".Replace("USER", userArn, StringComparison.Ordinal);
        string roleArn = await iam.CreateRoleAsync("customer-role", trust, MotoIam.AllowAllPolicy);

        using var recorder = new RecordingHandler(new SocketsHttpHandler());
        Configure(moto, roleArn, recorder);
        _harness.Options.AssumeRole.ExternalId = "customer-7f3a";
        _harness.Options.AssumeRole.RoleSessionName = "management-cluster";

        AwsCredentials role = await AssumeRoleChainWrapper.Wrap(Keys(key, secret), _harness.Context()).GetCredentialsAsync(ct);

        Assert.Equal(roleArn, role.RoleArn);
        Assert.Equal("123456789012", role.AccountId);
        Assert.Equal("AssumeRole", role.SourceName);
        (Uri uri, string body, string? authorization) = Assert.Single(recorder.Requests);
        Assert.Equal(moto.Endpoint.Port, uri.Port);
        Assert.Contains("ExternalId=customer-7f3a", body, StringComparison.Ordinal);
        Assert.Contains($"Credential={key}/", authorization, StringComparison.Ordinal);

        using AmazonSecurityTokenServiceClient sts = MotoClients.Sts(moto, MotoClients.Signing(new QueuedCredentialSource(role)));
        GetCallerIdentityResponse identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), ct);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/customer-role/management-cluster", identity.Arn);

        // A wrong External ID: the trust policy's condition fails, and the error reaches the caller at once, naming the role and the fix.
        _harness.Options.AssumeRole.ExternalId = "customer-0000";
        var denied = await Assert.ThrowsAsync<AwsCredentialException>(() => AssumeRoleChainWrapper.Wrap(Keys(key, secret), _harness.Context()).GetCredentialsAsync(ct).AsTask());
        Assert.False(denied.IsRecoverable);
        Assert.StartsWith($"AssumeRole: sts:AssumeRole for role {roleArn} failed: STS denied it (AccessDenied: ", denied.Message, StringComparison.Ordinal);
        Assert.Contains("an External ID is configured", denied.Message, StringComparison.Ordinal);

        // A wrong secret: moto's signature check refuses it, and the message says which keys.
        var badSignature = await Assert.ThrowsAsync<AwsCredentialException>(() => AssumeRoleChainWrapper.Wrap(Keys(key, secret + "x"), _harness.Context()).GetCredentialsAsync(ct).AsTask());
        Assert.Equal(
            $"AssumeRole: sts:AssumeRole for role {roleArn} failed: STS does not accept the source credentials {key[..8]}*** (SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.). Check the keys or the source that provides them.",
            badSignature.Message);
        string text = _harness.LogText() + denied + badSignature;
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(role.SecretAccessKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(role.SessionToken!, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_Moto_WebIdentityThenAssumeRole_CallerIdentityIsSecondRole()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        // Free actions: two roles (2 each) and the unsigned AssumeRoleWithWebIdentity; the AssumeRole is signed with its credentials.
        await using MotoServer moto = await MotoServer.StartAsync(initialNoAuthActionCount: 5, ct);
        var iam = new MotoIam(moto);
        string podRole = await iam.CreateRoleAsync("pod-role", MotoIam.TrustEveryonePolicy, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""");
        string targetRole = await iam.CreateRoleAsync("target-role", MotoIam.TrustEveryonePolicy, MotoIam.AllowAllPolicy);

        using var recorder = new RecordingHandler(new SocketsHttpHandler());
        Configure(moto, targetRole, recorder);
        _harness.Options.AssumeRole.RoleSessionName = "chained";
        _harness.Options.AssumeRole.Duration = TimeSpan.FromHours(2);
        _harness.Environment["AWS_ROLE_ARN"] = podRole;
        _harness.Environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _temp.Write("token.jwt", "eyJhbGciOiJSUzI1NiJ9.chain-test.sig");
        _harness.Environment["AWS_ROLE_SESSION_NAME"] = "pod";

        IAwsCredentialSource chain = AssumeRoleChainWrapper.Wrap(WebIdentitySourceFactory.FromContext(_harness.Context()), _harness.Context());
        AwsCredentials credentials = await chain.GetCredentialsAsync(ct);

        Assert.Equal(targetRole, credentials.RoleArn);
        var requests = recorder.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Contains("Action=AssumeRoleWithWebIdentity", requests[0].Body, StringComparison.Ordinal);
        Assert.Null(requests[0].Authorization);
        Assert.Contains("Action=AssumeRole&", requests[1].Body, StringComparison.Ordinal);
        Assert.Contains("DurationSeconds=3600", requests[1].Body, StringComparison.Ordinal); // role chaining caps the 2 h asked for

        using AmazonSecurityTokenServiceClient sts = MotoClients.Sts(moto, MotoClients.Signing(new QueuedCredentialSource(credentials)));
        GetCallerIdentityResponse identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), ct);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/target-role/chained", identity.Arn);
    }

    private static QueuedCredentialSource Keys(string key, string secret) => new(new AwsCredentials(key, secret, null, null, "StaticKeys"));

    private void Configure(MotoServer moto, string roleArn, HttpMessageHandler handler)
    {
        _harness.Options.Region = MotoClients.Region;
        _harness.Options.Sts.EndpointUrl = moto.Endpoint.ToString();
        _harness.Options.AssumeRole.RoleArn = roleArn;
        _harness.HttpHandler = handler;
    }
}
