using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.Chain;

public sealed class DefaultCredentialChainTests : IDisposable
{
    private const string EnvKeyId = "AKIAENVEXAMPLE000001";
    private const string EnvSecret = "envSecretEXAMPLEKEYwJalrXUtnFEMI/K7MDENG";
    private const string OptionsKeyId = "AKIAOPTEXAMPLE000001";
    private const string OptionsSecret = "optSecretEXAMPLEKEYwJalrXUtnFEMI/K7MDENG";

    private readonly FakeLogCollector _logs = SecretScanLogging.NewCollector();
    private readonly ILoggerFactory _loggerFactory;

    public DefaultCredentialChainTests()
    {
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(_logs)).SetMinimumLevel(LogLevel.Trace));
    }

    public void Dispose() => _loggerFactory.Dispose();

    private CredentialChain CreateSut(WorkloadCredentialsOptions options, params (string Name, string Value)[] environment)
    {
        var context = NetworkSafety.Guarded(
            options,
            new TestEnvironment(environment.Select(v => new KeyValuePair<string, string>(v.Name, v.Value))),
            loggerFactory: _loggerFactory);
        return Assert.IsType<CredentialChain>(DefaultCredentialChain.Create(context));
    }

    private static WorkloadCredentialsOptions WithStaticKeys() =>
        new() { StaticKeys = { AccessKeyId = OptionsKeyId, SecretAccessKey = OptionsSecret } };

    [Fact]
    public void Create_Order_CustomThenStaticKeysThenEnvironment()
    {
        var options = new WorkloadCredentialsOptions();
        options.CustomSources.Add(FakeCredentialSource.Unavailable("Custom: no."));

        CredentialChain sut = CreateSut(options);

        Assert.Equal(["FakeCredentialSource", "StaticKeys", "Environment"], sut.Links.Take(3).Select(l => l.Name));
        Assert.Equal([false, true, true], sut.Links.Take(3).Select(l => l.IsKeys));
    }

    [Fact]
    public async Task GetCredentialsAsync_OptionsAndEnvironmentKeys_OptionsWin()
    {
        CredentialChain sut = CreateSut(WithStaticKeys(), ("AWS_ACCESS_KEY_ID", EnvKeyId), ("AWS_SECRET_ACCESS_KEY", EnvSecret));

        AwsCredentials credentials = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(OptionsKeyId, credentials.AccessKeyId);
        Assert.Equal("StaticKeys", sut.ChosenSourceName);
    }

    [Fact]
    public async Task GetCredentialsAsync_EnvironmentKeys_ChosenAfterStaticKeysSkipped()
    {
        CredentialChain sut = CreateSut(new WorkloadCredentialsOptions(), ("AWS_ACCESS_KEY_ID", EnvKeyId), ("AWS_SECRET_ACCESS_KEY", EnvSecret), ("AWS_ACCOUNT_ID", "123456789012"));

        AwsCredentials credentials = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(EnvKeyId, credentials.AccessKeyId);
        Assert.Equal("123456789012", credentials.AccountId);
        Assert.Equal(
            new ChainResolutionEntry("StaticKeys", ChainSourceStatus.Unavailable, "StaticKeys: no explicit keys are configured (StaticKeys.AccessKeyId and StaticKeys.SecretAccessKey are not set)."),
            sut.LastResolution!.Entries[0]);
        Assert.Equal(new ChainResolutionEntry("Environment", ChainSourceStatus.Chosen, null), sut.LastResolution.Entries[1]);
    }

    [Fact]
    public async Task GetCredentialsAsync_HalfSetEnvironmentKeys_StopsTheChain()
    {
        CredentialChain sut = CreateSut(new WorkloadCredentialsOptions(), ("AWS_ACCESS_KEY_ID", EnvKeyId));

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => sut.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.IsNotType<CredentialUnavailableException>(ex);
        Assert.Contains("AWS_SECRET_ACCESS_KEY is not set", ex.Message, StringComparison.Ordinal);
        Assert.Equal("Environment", sut.LastResolution!.FailedSourceName);
        Assert.All(sut.LastResolution.Entries.Skip(2), e => Assert.Equal(ChainSourceStatus.NotTried, e.Status));
    }

    [Fact]
    public async Task GetCredentialsAsync_NothingConfigured_ListsEverySourceOneLineEach()
    {
        var options = new WorkloadCredentialsOptions();
        options.CustomSources.Add(FakeCredentialSource.Unavailable("FakeCredentialSource: nothing here."));
        CredentialChain sut = CreateSut(options);

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => sut.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        string[] lines = ex.Message.Split('\n');
        Assert.Equal("No AWS credentials were found. Every source of the chain was tried, in order:", lines[0]);
        Assert.Equal("Configure one of these sources.", lines[^1]);
        Assert.Equal(sut.Links.Count, lines.Length - 2);
        Assert.All(lines[1..^1], l => Assert.StartsWith("- ", l, StringComparison.Ordinal));
        Assert.Equal("- FakeCredentialSource: nothing here.", lines[1]);
        Assert.Equal("- StaticKeys: no explicit keys are configured (StaticKeys.AccessKeyId and StaticKeys.SecretAccessKey are not set).", lines[2]);
        Assert.Equal("- Environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set.", lines[3]);
    }

    [Fact]
    public async Task GetCredentialsAsync_EnvironmentKeysWithWebIdentityRole_KeysWinAndWarn()
    {
        CredentialChain sut = CreateSut(
            new WorkloadCredentialsOptions(),
            ("AWS_ACCESS_KEY_ID", EnvKeyId),
            ("AWS_SECRET_ACCESS_KEY", EnvSecret),
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa"),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/token"));

        AwsCredentials credentials = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(EnvKeyId, credentials.AccessKeyId);
        FakeLogRecord warning = Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == ChainLog.KeysOverrideRoleId);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("AWS_ROLE_ARN=arn:aws:iam::123456789012:role/irsa", warning.Message, StringComparison.Ordinal);
        Assert.Contains("the role is ignored", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(EnvSecret, string.Join('\n', _logs.GetSnapshot().Select(r => r.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_StaticKeysWithWebIdentityRoleInOptions_KeysWinAndWarnNamingTheOption()
    {
        WorkloadCredentialsOptions options = WithStaticKeys();
        options.WebIdentity.RoleArn = "arn:aws:iam::123456789012:role/irsa-from-options";
        options.WebIdentity.WebIdentityTokenFile = "/var/run/secrets/token";
        CredentialChain sut = CreateSut(options);

        AwsCredentials credentials = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);
        _ = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal((OptionsKeyId, "StaticKeys"), (credentials.AccessKeyId, credentials.SourceName));
        FakeLogRecord warning = Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == ChainLog.KeysOverrideRoleId);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("StaticKeys", warning.Message, StringComparison.Ordinal);
        Assert.Contains("AWS:WebIdentity:RoleArn=arn:aws:iam::123456789012:role/irsa-from-options", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OptionsSecret, string.Join('\n', _logs.GetSnapshot().Select(r => r.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_KeysWithoutRole_NoWarning()
    {
        CredentialChain sut = CreateSut(WithStaticKeys());

        _ = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain(_logs.GetSnapshot(), r => r.Id.Id == ChainLog.KeysOverrideRoleId);
        Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == ChainLog.SourceChosenId);
    }
}
