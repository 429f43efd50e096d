using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

namespace WorkloadCredentials.Tests.Chain;

/// <summary>
/// The key sources (explicit keys, environment keys) behind the whole default chain and the cache, with every log level captured:
/// the secret key and the session token appear in no log record (message, state or exception) and in no exception text,
/// whether the source resolves, is half configured, or the cache serves and refreshes it.
/// </summary>
public sealed class KeySourcesSecretsTests : IDisposable
{
    private const string KeyId = "AKIASECRETSTEST00001";
    private const string Secret = "SENTINEL-secret-wJalrXUtnFEMI/K7MDENG";
    private const string Token = "SENTINEL-session-token-IQoJb3JpZ2luX2Vj";

    private readonly FakeLogCollector _logs = SecretScanLogging.NewCollector();
    private readonly ILoggerFactory _loggerFactory;

    public KeySourcesSecretsTests()
    {
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(_logs)).SetMinimumLevel(LogLevel.Trace));
    }

    public void Dispose() => _loggerFactory.Dispose();

    [Theory]
    [InlineData("StaticKeys")]
    [InlineData("Environment")]
    public async Task GetCredentialsAsync_KeysResolve_NoSecretOrTokenInLogs(string sourceName)
    {
        (WorkloadCredentialsOptions options, TestEnvironment environment) = Configure(sourceName, KeyId, Secret, Token);
        using RefreshingCredentialCache source = AwsCredentialSources.CreateDefault(NetworkSafety.Guarded(options, environment, TimeProvider.System, _loggerFactory));

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
        source.Invalidate(KeyId);
        _ = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal((sourceName, Secret, Token), (credentials.SourceName, credentials.SecretAccessKey, credentials.SessionToken));
        Assert.Contains(_logs.GetSnapshot(), r => r.Level == LogLevel.Information); // the chosen source is logged: there is something to check
        AssertNoSecrets(LogText() + credentials);
    }

    [Theory]
    [InlineData("StaticKeys")]
    [InlineData("Environment")]
    public async Task GetCredentialsAsync_SecretAndTokenWithoutKeyId_FailsWithoutSecretOrTokenAnywhere(string sourceName)
    {
        (WorkloadCredentialsOptions options, TestEnvironment environment) = Configure(sourceName, keyId: null, Secret, Token);
        var context = NetworkSafety.Guarded(options, environment, TimeProvider.System, _loggerFactory);

        // Explicit keys are validated when the chain is built; environment keys fail at the call. Neither shows the values.
        Exception error = sourceName == "StaticKeys"
            ? Assert.Throws<OptionsValidationException>(() => AwsCredentialSources.CreateDefault(context))
            : await Assert.ThrowsAsync<AwsCredentialException>(async () =>
            {
                using RefreshingCredentialCache source = AwsCredentialSources.CreateDefault(context);
                _ = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
            });

        Assert.Contains(sourceName == "StaticKeys" ? "StaticKeys.AccessKeyId" : "AWS_ACCESS_KEY_ID", error.Message, StringComparison.Ordinal);
        AssertNoSecrets(LogText() + error);
    }

    private static (WorkloadCredentialsOptions Options, TestEnvironment Environment) Configure(string sourceName, string? keyId, string secret, string token)
    {
        var options = new WorkloadCredentialsOptions();
        var environment = new TestEnvironment();
        if (sourceName == "StaticKeys")
        {
            options.StaticKeys.AccessKeyId = keyId;
            options.StaticKeys.SecretAccessKey = secret;
            options.StaticKeys.SessionToken = token;
        }
        else
        {
            environment["AWS_ACCESS_KEY_ID"] = keyId;
            environment["AWS_SECRET_ACCESS_KEY"] = secret;
            environment["AWS_SESSION_TOKEN"] = token;
        }

        return (options, environment);
    }

    private static void AssertNoSecrets(string text)
    {
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
    }

    private string LogText()
    {
        var text = new StringBuilder();
        foreach (FakeLogRecord record in _logs.GetSnapshot())
        {
            text.AppendLine(record.Message).AppendLine(record.Exception?.ToString());
            foreach (KeyValuePair<string, string?> pair in record.StructuredState ?? [])
            {
                text.AppendLine(pair.Value);
            }
        }

        return text.ToString();
    }
}
