using WorkloadCredentials.EnvironmentKeys;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Tests.EnvironmentKeys;

/// <summary>The legacy AWS_SECURITY_TOKEN, read as botocore reads it (found by the peer-comparison suite).</summary>
public sealed class LegacySecurityTokenTests
{
    [Fact]
    public async Task GetCredentialsAsync_KeysAndLegacyToken_TokenUsed()
    {
        var source = new EnvironmentCredentialSource(new DictionaryEnvironment(new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "ASIALEGACYTOKEN00001",
            ["AWS_SECRET_ACCESS_KEY"] = "legacy-token-SECRET-do-not-log",
            ["AWS_SECURITY_TOKEN"] = "legacy-SESSION-token-do-not-log",
        }));

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("legacy-SESSION-token-do-not-log", credentials.SessionToken);
    }

    [Fact]
    public async Task GetCredentialsAsync_BothTokens_SessionTokenWins()
    {
        var source = new EnvironmentCredentialSource(new DictionaryEnvironment(new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "ASIALEGACYTOKEN00001",
            ["AWS_SECRET_ACCESS_KEY"] = "legacy-token-SECRET-do-not-log",
            ["AWS_SESSION_TOKEN"] = "current-SESSION-token-do-not-log",
            ["AWS_SECURITY_TOKEN"] = "legacy-SESSION-token-do-not-log",
        }));

        Assert.Equal("current-SESSION-token-do-not-log", (await source.GetCredentialsAsync(TestContext.Current.CancellationToken)).SessionToken);
    }

    [Fact]
    public async Task GetCredentialsAsync_LegacyTokenAlone_NotConfigured()
    {
        var source = new EnvironmentCredentialSource(new DictionaryEnvironment(new Dictionary<string, string> { ["AWS_SECURITY_TOKEN"] = "legacy-SESSION-token-do-not-log" }));

        _ = await Assert.ThrowsAsync<CredentialUnavailableException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));
    }
}
