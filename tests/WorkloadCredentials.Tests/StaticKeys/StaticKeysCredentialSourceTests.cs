using WorkloadCredentials.StaticKeys;

namespace WorkloadCredentials.Tests.StaticKeys;

public sealed class StaticKeysCredentialSourceTests
{
    private const string KeyId = "AKIAIOSFODNN7EXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string Token = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";

    private static StaticKeysCredentialSource CreateSut(string? keyId, string? secret, string? token = null, string? accountId = null) =>
        new(new StaticKeysCredentialOptions { AccessKeyId = keyId, SecretAccessKey = secret, SessionToken = token, AccountId = accountId });

    [Fact]
    public async Task GetCredentialsAsync_KeysSet_ReturnsThemWithAccountId()
    {
        AwsCredentials credentials = await CreateSut(KeyId, Secret, Token, "123456789012").GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(KeyId, credentials.AccessKeyId);
        Assert.Equal(Secret, credentials.SecretAccessKey);
        Assert.Equal(Token, credentials.SessionToken);
        Assert.Equal("123456789012", credentials.AccountId);
        Assert.Null(credentials.Expiration);
        Assert.Equal("StaticKeys", credentials.SourceName);
    }

    [Fact]
    public async Task GetCredentialsAsync_BlankTokenAndAccount_AreUnset()
    {
        AwsCredentials credentials = await CreateSut(" " + KeyId + " ", Secret, "  ", "").GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(KeyId, credentials.AccessKeyId);
        Assert.Null(credentials.SessionToken);
        Assert.Null(credentials.AccountId);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData("  ", "\t")]
    public async Task GetCredentialsAsync_NothingSet_ThrowsUnavailable(string? keyId, string? secret)
    {
        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(
            () => CreateSut(keyId, secret).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("StaticKeys: no explicit keys are configured (StaticKeys.AccessKeyId and StaticKeys.SecretAccessKey are not set).", ex.Message);
        Assert.Equal("StaticKeys", ex.SourceName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task GetCredentialsAsync_KeyIdWithoutSecret_FailsNamingTheSecret(string? secret)
    {
        var ex = await Assert.ThrowsAsync<AwsCredentialException>(
            () => CreateSut(KeyId, secret).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.IsNotType<CredentialUnavailableException>(ex);
        Assert.False(ex.IsRecoverable);
        Assert.Equal(
            "StaticKeys: StaticKeys.SecretAccessKey (configuration key AWS:StaticKeys:SecretAccessKey) is not set, but StaticKeys.AccessKeyId is. " +
            "Set both, or neither to let the chain use another source.",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_SecretWithoutKeyId_FailsNamingTheKeyIdAndHidesTheSecret()
    {
        var ex = await Assert.ThrowsAsync<AwsCredentialException>(
            () => CreateSut(" ", Secret, Token).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.IsNotType<CredentialUnavailableException>(ex);
        Assert.Equal(
            "StaticKeys: StaticKeys.AccessKeyId (configuration key AWS:StaticKeys:AccessKeyId) is not set, but StaticKeys.SecretAccessKey is. " +
            "Set both, or neither to let the chain use another source.",
            ex.Message);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenWithoutKeys_Fails()
    {
        var ex = await Assert.ThrowsAsync<AwsCredentialException>(
            () => CreateSut(null, null, Token).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.IsNotType<CredentialUnavailableException>(ex);
        Assert.StartsWith("StaticKeys: StaticKeys.SessionToken is set, but StaticKeys.AccessKeyId and StaticKeys.SecretAccessKey are not.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_CanceledBeforeExecution_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CreateSut(KeyId, Secret).GetCredentialsAsync(cts.Token).AsTask());
    }

    [Theory]
    [InlineData(0, "AKIA\u001b2JIOSFODNN7", "StaticKeys.AccessKeyId (configuration key AWS:StaticKeys:AccessKeyId)", "the access key id holds a control character")]
    [InlineData(0, "AKIA\u009b2JIOSFODNN7", "StaticKeys.AccessKeyId (configuration key AWS:StaticKeys:AccessKeyId)", "the access key id holds a character that is not ASCII")]
    [InlineData(1, "wJalrXUtnFEMI/K7MDENG\r\nbPxRfiCYEXAMPLEKEY", "StaticKeys.SecretAccessKey (configuration key AWS:StaticKeys:SecretAccessKey)", "the secret access key holds a line break")]
    [InlineData(2, "IQoJb3JpZ2luX2Vj'EXAMPLETOKEN", "StaticKeys.SessionToken (configuration key AWS:StaticKeys:SessionToken)", "the session token holds a quote or a backslash")]
    [InlineData(2, "IQoJb3JpZ2luX2Vj\u00e9EXAMPLETOKEN", "StaticKeys.SessionToken (configuration key AWS:StaticKeys:SessionToken)", "the session token holds a character that is not ASCII")]
    public async Task GetCredentialsAsync_MalformedValue_FailsNamingOptionAndProblemNotValue(int which, string value, string setting, string problem)
    {
        StaticKeysCredentialSource sut = which switch
        {
            0 => CreateSut(value, Secret, Token),
            1 => CreateSut(KeyId, value, Token),
            _ => CreateSut(KeyId, Secret, value),
        };

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(async () => await sut.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal($"StaticKeys: {setting} is malformed: {problem}. Set it to the value AWS issued, with no quotes, spaces or line breaks.", ex.Message);
        Assert.Equal("StaticKeys", ex.SourceName);
        Assert.False(ex.IsRecoverable);
        Assert.DoesNotContain(value[4..14], ex.ToString(), StringComparison.Ordinal);
    }
}
