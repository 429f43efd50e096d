using WorkloadCredentials.EnvironmentKeys;
using WorkloadCredentials.Internal;

// Not WorkloadCredentials.Tests.Environment: that namespace would shadow System.Environment for every test.
namespace WorkloadCredentials.Tests.EnvironmentKeys;

public sealed class EnvironmentCredentialSourceTests
{
    private const string KeyId = "AKIAENVEXAMPLE000001";
    private const string Secret = "envSecretEXAMPLEKEYwJalrXUtnFEMI/K7MDENG";
    private const string Token = "envSessionTokenEXAMPLE";

    private static EnvironmentCredentialSource CreateSut(params (string Name, string Value)[] variables) =>
        new(new DictionaryEnvironment(variables.Select(v => new KeyValuePair<string, string>(v.Name, v.Value))));

    [Fact]
    public async Task GetCredentialsAsync_AllSet_ReturnsThem()
    {
        EnvironmentCredentialSource sut = CreateSut(
            ("AWS_ACCESS_KEY_ID", KeyId), ("AWS_SECRET_ACCESS_KEY", Secret), ("AWS_SESSION_TOKEN", Token), ("AWS_ACCOUNT_ID", "210987654321"));

        AwsCredentials credentials = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(KeyId, credentials.AccessKeyId);
        Assert.Equal(Secret, credentials.SecretAccessKey);
        Assert.Equal(Token, credentials.SessionToken);
        Assert.Equal("210987654321", credentials.AccountId);
        Assert.Null(credentials.Expiration);
        Assert.Equal("Environment", credentials.SourceName);
    }

    [Fact]
    public async Task GetCredentialsAsync_KeysOnly_NoTokenNoAccount()
    {
        AwsCredentials credentials = await CreateSut(("AWS_ACCESS_KEY_ID", KeyId), ("AWS_SECRET_ACCESS_KEY", Secret), ("AWS_SESSION_TOKEN", " "), ("AWS_ACCOUNT_ID", ""))
            .GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Null(credentials.SessionToken);
        Assert.Null(credentials.AccountId);
    }

    [Fact]
    public async Task GetCredentialsAsync_NothingSet_ThrowsUnavailable()
    {
        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => CreateSut().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("Environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set.", ex.Message);
        Assert.Equal("Environment", ex.SourceName);
    }

    [Fact]
    public async Task GetCredentialsAsync_BlankValues_CountAsUnset()
    {
        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(
            () => CreateSut(("AWS_ACCESS_KEY_ID", ""), ("AWS_SECRET_ACCESS_KEY", "   "), ("AWS_ACCOUNT_ID", "123456789012"))
                .GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("Environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set.", ex.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task GetCredentialsAsync_KeyIdWithoutSecret_FailsNamingTheVariable(string? secret)
    {
        var variables = new List<(string, string)> { ("AWS_ACCESS_KEY_ID", KeyId) };
        if (secret is not null)
        {
            variables.Add(("AWS_SECRET_ACCESS_KEY", secret));
        }

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateSut([.. variables]).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.IsNotType<CredentialUnavailableException>(ex);
        Assert.False(ex.IsRecoverable);
        Assert.Equal(
            "Environment: AWS_SECRET_ACCESS_KEY is not set, but AWS_ACCESS_KEY_ID is. Set both, or unset AWS_ACCESS_KEY_ID to let the chain use another source.",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_SecretWithoutKeyId_FailsNamingTheVariableAndHidesTheSecret()
    {
        var ex = await Assert.ThrowsAsync<AwsCredentialException>(
            () => CreateSut(("AWS_SECRET_ACCESS_KEY", Secret), ("AWS_SESSION_TOKEN", Token)).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.IsNotType<CredentialUnavailableException>(ex);
        Assert.Equal(
            "Environment: AWS_ACCESS_KEY_ID is not set, but AWS_SECRET_ACCESS_KEY is. Set both, or unset AWS_SECRET_ACCESS_KEY to let the chain use another source.",
            ex.Message);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenWithoutKeys_Fails()
    {
        var ex = await Assert.ThrowsAsync<AwsCredentialException>(
            () => CreateSut(("AWS_SESSION_TOKEN", Token)).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.IsNotType<CredentialUnavailableException>(ex);
        Assert.Equal(
            "Environment: AWS_SESSION_TOKEN is set, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not. Set all three, or unset AWS_SESSION_TOKEN.",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_ReadsTheEnvironmentAtEveryCall()
    {
        var environment = new DictionaryEnvironment { ["AWS_ACCESS_KEY_ID"] = KeyId, ["AWS_SECRET_ACCESS_KEY"] = Secret };
        var sut = new EnvironmentCredentialSource(environment);
        _ = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        environment["AWS_ACCESS_KEY_ID"] = "AKIAENVEXAMPLE000002";
        AwsCredentials second = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("AKIAENVEXAMPLE000002", second.AccessKeyId);
    }

    [Theory]
    [InlineData("AWS_ACCESS_KEY_ID", "AKIA\u001b[2JENVEXAMPLE", "the access key id holds a control character")]
    [InlineData("AWS_ACCESS_KEY_ID", "ASIA\uFFFD\uFFFDEXAMPLE0001", "the access key id holds a character that is not valid UTF-8 (U+FFFD after decoding)")]
    [InlineData("AWS_SECRET_ACCESS_KEY", "envSecretEXAMPLE\nKEYwJalrXUtnFEMI/K7MDENG", "the secret access key holds a line break")]
    [InlineData("AWS_SECRET_ACCESS_KEY", "\"envSecretEXAMPLEKEYwJalrXUtnFEMI/K7MDENG\"", "the secret access key holds a quote or a backslash")]
    [InlineData("AWS_SESSION_TOKEN", "envSessionToken\0EXAMPLEtail", "the session token holds a NUL character")]
    public async Task GetCredentialsAsync_MalformedValue_FailsNamingVariableAndProblemNotValue(string variable, string value, string problem)
    {
        var variables = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = KeyId,
            ["AWS_SECRET_ACCESS_KEY"] = Secret,
            ["AWS_SESSION_TOKEN"] = Token,
            [variable] = value,
        };

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(async () => await new EnvironmentCredentialSource(new DictionaryEnvironment(variables)).GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal($"Environment: {variable} is malformed: {problem}. Set it to the value AWS issued, with no quotes, spaces or line breaks.", ex.Message);
        Assert.Equal("Environment", ex.SourceName);
        Assert.False(ex.IsRecoverable);
        Assert.DoesNotContain(value.Trim('"'), ex.ToString(), StringComparison.Ordinal);
    }
}
