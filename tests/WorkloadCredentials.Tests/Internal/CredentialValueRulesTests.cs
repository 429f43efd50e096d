using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Tests.Internal;

public sealed class CredentialValueRulesTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    [Theory]
    [InlineData("ASIA\uFFFD\uFFFD\uFFFD(", "not valid UTF-8")]
    [InlineData("ASIA\nX-Injected: 1", "line break")]
    [InlineData("ASIA\0", "NUL")]
    [InlineData("ASIA\u001b[2J", "control character")]
    [InlineData("ASIA KEY", "space")]
    [InlineData("ASIA\"KEY", "quote")]
    [InlineData("ASIAé", "not ASCII")]
    public void Ctor_MalformedAccessKeyId_ThrowsWithoutQuotingTheValue(string accessKeyId, string problem)
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new AwsCredentials(accessKeyId, Secret, null, null, "Test"));

        Assert.Equal("accessKeyId", ex.ParamName);
        Assert.Contains("the access key id", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(accessKeyId, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wJalrXUtnFEMI/K7MDENG\r\n/bPxRfiCYEXAMPLEKEY")]
    [InlineData("wJalrXUtnFEMI/K7MDENG\0bPxRfiCYEXAMPLEKEY")]
    [InlineData("wJalrXUtnFEMI/K7MDENG'bPxRfiCYEXAMPLEKEY")]
    [InlineData("wJalrXUtnFEMI/K7MDENG\\bPxRfiCYEXAMPLEKEY")]
    public void Ctor_MalformedSecret_ThrowsNamingTheSecretNeverItsValue(string secret)
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => new AwsCredentials("AKIAIOSFODNN7EXAMPLE", secret, null, null, "Test"));

        Assert.Equal("secretAccessKey", ex.ParamName);
        Assert.Contains("the secret access key", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wJalrXUtnFEMI", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_MalformedOrHugeSessionToken_Throws()
    {
        ArgumentException quote = Assert.Throws<ArgumentException>(() => new AwsCredentials("ASIAEXAMPLE", Secret, "FwoGZXIvYXdzE\"injected", null, "Test"));
        ArgumentException huge = Assert.Throws<ArgumentException>(() => new AwsCredentials("ASIAEXAMPLE", Secret, new string('A', CredentialValueRules.MaxSessionTokenLength + 1), null, "Test"));

        Assert.Equal("sessionToken", quote.ParamName);
        Assert.Contains("more than the", huge.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("FwoGZXIvYXdzE", quote.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AKIAIOSFODNN7EXAMPLE", Secret, "FwoGZXIvYXdzEBQaDH+/=")]
    [InlineData("AKID-SLOW", "secret", null)]
    public void Problem_WellFormed_Null(string accessKeyId, string secret, string? token)
    {
        Assert.Null(CredentialValueRules.Problem(accessKeyId, secret, token));
        _ = new AwsCredentials(accessKeyId, secret, token, null, "Test");
    }
}
