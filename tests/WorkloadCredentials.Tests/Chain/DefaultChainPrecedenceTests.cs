using Microsoft.Extensions.Logging.Abstractions;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Profiles;
using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.Chain;

/// <summary>
/// Issue 10, precedence as the reference SDKs (botocore, the AWS SDK for .NET v4, Java v2, Go v2), where a workload could otherwise
/// land on another identity: the pod's web identity beats a default profile that only holds keys or a process (baked into an
/// image); a profile with a role keeps its place; a profile chosen explicitly is not overridden by the environment.
/// </summary>
public sealed class DefaultChainPrecedenceTests : IDisposable
{
    private const string ProfileKeyId = "AKIAPROFILEBAKED0001";
    private const string ProfileSecret = "profile-baked-SECRET-precedence-do-not-log";
    private const string EnvKeyId = "AKIAENVPRECEDENCE001";
    private const string EnvSecret = "env-SECRET-precedence-do-not-log-xxxxxxx";
    private const string WebIdentityKeyId = "ASIAIRSAPRECEDENCE01";
    private const string AssumedKeyId = "ASIAROLEPRECEDENCE01";

    private readonly TempDirectory _directory = new();
    private readonly string _tokenFile;

    public DefaultChainPrecedenceTests()
    {
        _tokenFile = Path.Combine(_directory.Path, "token");
        File.WriteAllText(_tokenFile, "eyJpcnNhLXByZWNlZGVuY2UtdG9rZW4");
    }

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string, string?, string?, bool, bool, string> Cases() => new()
    {
        // name, profile file content, AWS_PROFILE, explicit profile (options), environment keys, expected access key id
        { "default profile with keys vs IRSA: IRSA", Keys("default"), null, false, false, WebIdentityKeyId },
        { "AWS_PROFILE with keys vs IRSA: IRSA", Keys("baked"), "baked", false, false, WebIdentityKeyId },
        { "default profile with a process vs IRSA: IRSA", "[default]\ncredential_process = /bin/false\n", null, false, false, WebIdentityKeyId },
        { "profile with role_arn vs IRSA: the profile's role", Keys("base") + "[default]\nrole_arn = arn:aws:iam::111111111111:role/ProfileRole\nsource_profile = base\n", null, false, false, AssumedKeyId },
        { "explicit profile with keys vs IRSA: the profile", Keys("chosen"), null, true, false, ProfileKeyId },
        { "explicit profile with keys vs environment keys: the profile", Keys("chosen"), null, true, true, ProfileKeyId },
        { "AWS_PROFILE with keys vs environment keys: environment keys", Keys("named"), "named", false, true, EnvKeyId },
        { "environment keys vs IRSA: environment keys", Keys("default"), null, false, true, EnvKeyId },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task DefaultChain_PrecedenceAsTheReferenceSdks(string name, string? config, string? awsProfile, bool explicitProfile, bool environmentKeys, string expected)
    {
        _ = name;
        using var files = new ProfileFiles(config);
        var environment = new TestEnvironment();
        environment["HOME"] = files.Home;
        environment["AWS_CONFIG_FILE"] = files.ConfigPath;
        environment["AWS_SHARED_CREDENTIALS_FILE"] = files.CredentialsPath;
        environment["AWS_ROLE_ARN"] = "arn:aws:iam::222222222222:role/irsa";
        environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _tokenFile;
        environment["AWS_REGION"] = "eu-west-1";
        environment["AWS_PROFILE"] = awsProfile;
        if (environmentKeys)
        {
            environment["AWS_ACCESS_KEY_ID"] = EnvKeyId;
            environment["AWS_SECRET_ACCESS_KEY"] = EnvSecret;
        }

        var options = new WorkloadCredentialsOptions { Profile = explicitProfile ? "chosen" : null };
        using var sts = new RecordingHandler((_, body) => body.Contains("Action=AssumeRoleWithWebIdentity", StringComparison.Ordinal)
            ? Xml(StsXml.AssumeRoleWithWebIdentity(WebIdentityKeyId, "irsa-SECRET-precedence", "irsa-TOKEN-precedence", DateTimeOffset.UtcNow.AddHours(1)))
            : Xml(StsXml.AssumeRole(AssumedKeyId, "role-SECRET-precedence", "role-TOKEN-precedence", DateTimeOffset.UtcNow.AddHours(1))));
        var context = NetworkSafety.Guarded(options, environment, TimeProvider.System, NullLoggerFactory.Instance, sts);
        using var chain = Assert.IsType<CredentialChain>(DefaultCredentialChain.Create(context));

        AwsCredentials credentials = await chain.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(expected, credentials.AccessKeyId);
    }

    [Fact]
    public async Task DefaultProfileWithKeys_GivesWayToIrsa_TheResolutionSaysWhy()
    {
        using var files = new ProfileFiles(Keys("default"));
        var environment = new TestEnvironment();
        environment["HOME"] = files.Home;
        environment["AWS_CONFIG_FILE"] = files.ConfigPath;
        environment["AWS_ROLE_ARN"] = "arn:aws:iam::222222222222:role/irsa";
        environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = Path.Combine(_directory.Path, "missing-token");
        var context = NetworkSafety.Guarded(new WorkloadCredentialsOptions(), environment, TimeProvider.System, NullLoggerFactory.Instance);
        using var chain = Assert.IsType<CredentialChain>(DefaultCredentialChain.Create(context));

        // IRSA is configured but broken: the chain stops there, it does not fall back to the baked keys.
        _ = await Assert.ThrowsAnyAsync<AwsCredentialException>(async () => await chain.GetCredentialsAsync(TestContext.Current.CancellationToken));
        ChainResolutionEntry profile = Assert.Single(chain.LastResolution!.Entries, e => e.SourceName == "Profile");
        Assert.Equal(ChainSourceStatus.Unavailable, profile.Status);
        Assert.Contains("AWS_WEB_IDENTITY_TOKEN_FILE configures web identity, which comes first", profile.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(ProfileSecret, profile.Reason, StringComparison.Ordinal);
    }

    private static string Keys(string profile) =>
        $"[{(profile == "default" ? "default" : "profile " + profile)}]\naws_access_key_id = {ProfileKeyId}\naws_secret_access_key = {ProfileSecret}\n";

    private static HttpResponseMessage Xml(string body) =>
        new(System.Net.HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, "text/xml") };
}
