namespace WorkloadCredentials.Tests;

public sealed class AwsCredentialsTests
{
    [Theory]
    [InlineData("AKIAIOSFODNN7EXAMPLE", "AKIAIOSF***")]
    [InlineData("AKIDSHORT", "AKIDSHOR***")]
    [InlineData("AKID1234", "AKID***")]
    [InlineData("AK", "AK***")]
    public void RedactedAccessKeyId_KeepsOnlyTheFirstCharacters(string accessKeyId, string expected)
    {
        var credentials = new AwsCredentials(accessKeyId, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null, null, "Test");

        Assert.Equal(expected, credentials.RedactedAccessKeyId);
    }

    [Fact]
    public void ToString_NeverShowsSecretOrToken()
    {
        var credentials = new AwsCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "session-token-value", null, "Test");

        string text = credentials.ToString();

        Assert.DoesNotContain("wJalrXUtnFEMI", text, StringComparison.Ordinal);
        Assert.DoesNotContain("session-token-value", text, StringComparison.Ordinal);
        Assert.Contains("AKIAIOSF***", text, StringComparison.Ordinal);
        Assert.Contains("Test", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "secret")]
    [InlineData(" ", "secret")]
    [InlineData("AKID", "")]
    public void Ctor_BlankKey_Throws(string accessKeyId, string secret)
    {
        Assert.Throws<ArgumentException>(() => new AwsCredentials(accessKeyId, secret, null, null, "Test"));
    }
}
