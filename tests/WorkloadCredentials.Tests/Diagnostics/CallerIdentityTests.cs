using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WorkloadCredentials.Diagnostics;
using WorkloadCredentials.Diagnostics.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.Diagnostics;

/// <summary>
/// The public "who am I" (<see cref="AwsCredentialSourceIdentityExtensions.GetCallerIdentityAsync"/>) against a loopback STS: the
/// endpoint and signing region come from the source's own options and environment (not this process's), failures after the
/// credentials resolved are <see cref="CallerIdentityException"/> without a secret, and nothing else is.
/// </summary>
public sealed class CallerIdentityTests : IDisposable
{
    private const string KeyId = "AKIA1234WHOAMI000001";
    private const string Secret = "whoamiSECRET+wJalrXUtnFEMI/K7MDENG0123";
    private const string Token = "whoamiTOKEN-IQoJb3JpZ2luX2VjEXAMPLE-0123";

    private readonly TempDirectory _home = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task GetCallerIdentityAsync_OptionsNameEndpointAndRegion_SignsForThatRegionWithTheSourcesKeys()
    {
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Ok(CallerIdentityXml("111122223333")));
        TestEnvironment environment = Keys();
        environment["AWS_REGION"] = "ap-south-1";
        var options = new WorkloadCredentialsOptions { Region = "eu-west-3" };
        options.Sts.EndpointUrl = sts.Endpoint.ToString();
        using ICachedAwsCredentialSource source = CreateDefault(environment, options);

        CallerIdentity identity = await source.GetCallerIdentityAsync(Ct);

        Assert.Equal(("111122223333", "arn:aws:iam::111122223333:user/whoami", "AIDAWHOAMI"), (identity.Account, identity.Arn, identity.UserId));
        Assert.Equal("CallerIdentity { Account = 111122223333, Arn = arn:aws:iam::111122223333:user/whoami, UserId = AIDAWHOAMI }", identity.ToString());
        StsRecordedRequest request = Assert.Single(sts.Requests);
        Assert.Equal("GetCallerIdentity", request.Action);
        Assert.Contains($"Credential={KeyId}/", request.Authorization, StringComparison.Ordinal);
        Assert.Contains("/eu-west-3/sts/aws4_request", request.Authorization, StringComparison.Ordinal);
        Assert.Equal(Token, request.SecurityToken);
    }

    [Fact]
    public async Task GetCallerIdentityAsync_ComposedFromThePublicFactories_EndpointAndRegionFromTheComposedSourcesOptions()
    {
        // Cache(Chain(AssumeRole(StaticKeys))): the options given to the factory, not this process's environment, choose STS.
        const string RoleKeyId = "ASIAWHOAMICOMPOSED01";
        await using StsFaultServer sts = await StsFaultServer.StartAsync(request => request.Action == "AssumeRole"
            ? StsReply.Ok(StsXml.AssumeRole(RoleKeyId, Secret, Token, DateTimeOffset.UtcNow.AddHours(1)))
            : StsReply.Ok(CallerIdentityXml("777788889999")));
        IAwsCredentialSource role = AwsCredentialSources.AssumeRole(AwsCredentialSources.StaticKeys(KeyId, Secret), options =>
        {
            options.Region = "eu-north-1";
            options.Sts.EndpointUrl = sts.Endpoint.ToString();
            options.AssumeRole.RoleArn = "arn:aws:iam::777788889999:role/composed";
        });
        using ICachedAwsCredentialSource source = AwsCredentialSources.Cache(AwsCredentialSources.Chain(role));

        CallerIdentity identity = await source.GetCallerIdentityAsync(Ct);

        Assert.Equal("777788889999", identity.Account);
        Assert.Equal(["AssumeRole", "GetCallerIdentity"], sts.Requests.Select(r => r.Action));
        Assert.Contains($"Credential={RoleKeyId}/", sts.Requests[1].Authorization, StringComparison.Ordinal);
        Assert.Contains("/eu-north-1/sts/aws4_request", sts.Requests[1].Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCallerIdentityAsync_EnvironmentOfTheSource_EndpointAndRegionFromIt()
    {
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Ok(CallerIdentityXml("111122223333")));
        TestEnvironment environment = Keys();
        environment["AWS_DEFAULT_REGION"] = "ca-central-1";
        environment["AWS_ENDPOINT_URL"] = sts.Endpoint.ToString();
        using ICachedAwsCredentialSource source = CreateDefault(environment);

        _ = await source.GetCallerIdentityAsync(Ct);

        Assert.Contains("/ca-central-1/sts/aws4_request", Assert.Single(sts.Requests).Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCallerIdentityAsync_ProfileOfTheOptions_EndpointAndRegionFromTheProfile()
    {
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Ok(CallerIdentityXml("444455556666")));
        string config = Path.Combine(_home.Path, "config");
        File.WriteAllText(config, $"[profile ci]\nregion = sa-east-1\nendpoint_url = {sts.Endpoint}\naws_access_key_id = {KeyId}\naws_secret_access_key = {Secret}\n");
        var environment = new TestEnvironment { ["AWS_CONFIG_FILE"] = config };
        using ICachedAwsCredentialSource source = CreateDefault(environment, new WorkloadCredentialsOptions { Profile = "ci" });

        CallerIdentity identity = await source.GetCallerIdentityAsync(Ct);

        Assert.Equal("444455556666", identity.Account);
        Assert.Contains("/sa-east-1/sts/aws4_request", Assert.Single(sts.Requests).Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCallerIdentityAsync_NamedDependencyInjectionSource_ItsOwnOptionsChooseTheRegion()
    {
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Ok(CallerIdentityXml("111122223333")));
        var services = new ServiceCollection();
        services.AddSingleton<IEnvironment>(Keys());
        services.AddWorkloadCredentials(options => options.Region = "us-west-2");
        services.AddWorkloadCredentials("backups", options =>
        {
            options.Region = "eu-north-1";
            options.Sts.EndpointUrl = sts.Endpoint.ToString();
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        _ = await provider.GetRequiredKeyedService<IAwsCredentialSource>("backups").GetCallerIdentityAsync(Ct);

        Assert.Contains("/eu-north-1/sts/aws4_request", Assert.Single(sts.Requests).Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCallerIdentityAsync_Refused_CallerIdentityExceptionNamingCodeAndSourceNeverTheSecrets()
    {
        await using StsFaultServer sts = await StsFaultServer.StartAsync(r => StsReply.Error(403, "InvalidClientTokenId", $"bad token {r.SecurityToken} for {Secret[2..20]}"));
        TestEnvironment environment = Keys();
        environment["AWS_ENDPOINT_URL_STS"] = sts.Endpoint.ToString();
        using ICachedAwsCredentialSource source = CreateDefault(environment);

        var ex = await Assert.ThrowsAsync<CallerIdentityException>(async () => await source.GetCallerIdentityAsync(Ct));

        Assert.StartsWith($"sts:GetCallerIdentity at {sts.Endpoint} (from AWS_ENDPOINT_URL_STS) was refused with InvalidClientTokenId (HTTP 403): ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("The credentials came from source Environment (access key AKIA1234***).", ex.Message, StringComparison.Ordinal);
        Assert.False(SecretMasker.ContainsSecret(ex.Message, Secret, Token), ex.Message);
    }

    [Fact]
    public async Task GetCallerIdentityAsync_PlainHttpToRemoteHost_RefusedBeforeAnyCall()
    {
        TestEnvironment environment = Keys();
        environment["AWS_ENDPOINT_URL_STS"] = "http://sts.example.invalid/?X-Amz-Security-Token=hidden";
        using ICachedAwsCredentialSource source = CreateDefault(environment);

        var ex = await Assert.ThrowsAsync<CallerIdentityException>(async () => await source.GetCallerIdentityAsync(Ct));

        Assert.Equal(
            "the STS endpoint 'http://sts.example.invalid/ (details hidden)' from AWS_ENDPOINT_URL_STS uses plain http:// for host 'sts.example.invalid': the call carries the session token, so use https:// (plain http:// is accepted only for localhost, 127.0.0.1 and ::1).",
            ex.Message);
    }

    [Fact]
    public async Task GetCallerIdentityAsync_AnswerWithoutIdentity_CallerIdentityException()
    {
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Ok("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult/></GetCallerIdentityResponse>"));
        TestEnvironment environment = Keys();
        environment["AWS_ENDPOINT_URL_STS"] = sts.Endpoint.ToString();
        using ICachedAwsCredentialSource source = CreateDefault(environment);

        var ex = await Assert.ThrowsAsync<CallerIdentityException>(async () => await source.GetCallerIdentityAsync(Ct));

        Assert.Contains("answered with something that is not an STS response: it holds no caller identity", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCallerIdentityAsync_NoCredentials_CredentialUnavailableNotACallerIdentityFailure()
    {
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Ok(CallerIdentityXml("111122223333")));
        var environment = new TestEnvironment { ["AWS_ENDPOINT_URL_STS"] = sts.Endpoint.ToString() };
        using ICachedAwsCredentialSource source = CreateDefault(environment);

        var ex = await Assert.ThrowsAnyAsync<AwsCredentialException>(async () => await source.GetCallerIdentityAsync(Ct));

        Assert.IsType<CredentialUnavailableException>(ex);
        Assert.Equal(0, sts.CallCount);
    }

    [Fact]
    public void SourceContexts_SourceTheLibraryDidNotBuild_TheProcessEnvironmentAndDefaultOptions()
    {
        using ICachedAwsCredentialSource built = CreateDefault(Keys());
        var custom = new QueuedCredentialSource();

        CredentialSourceContext context = SourceContexts.Find(custom);

        Assert.Same(ProcessEnvironment.Instance, context.Environment);
        Assert.Null(context.Options.Region);
        Assert.IsType<TestEnvironment>(SourceContexts.Find(built).Environment);
    }

    [Fact]
    public async Task GetCallerIdentityAsync_NullSource_Throws() =>
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await AwsCredentialSourceIdentityExtensions.GetCallerIdentityAsync(null!, Ct));

    private static ICachedAwsCredentialSource CreateDefault(TestEnvironment environment, WorkloadCredentialsOptions? options = null) =>
        AwsCredentialSources.CreateDefault(new CredentialSourceContext(options ?? new WorkloadCredentialsOptions(), environment, TimeProvider.System, NullLoggerFactory.Instance));

    private static TestEnvironment Keys() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = KeyId,
        ["AWS_SECRET_ACCESS_KEY"] = Secret,
        ["AWS_SESSION_TOKEN"] = Token,
    };

    private static string CallerIdentityXml(string account) => $"""
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <GetCallerIdentityResult><Arn>arn:aws:iam::{account}:user/whoami</Arn><UserId>AIDAWHOAMI</UserId><Account>{account}</Account></GetCallerIdentityResult>
          <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000001</RequestId></ResponseMetadata>
        </GetCallerIdentityResponse>
        """;
}
