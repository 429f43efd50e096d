using WorkloadCredentials.Profiles.Internal;

namespace WorkloadCredentials.Tests.Profiles;

public sealed class CredentialProcessOutputParserTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    [Fact]
    public void Parse_FullOutput_AllFields()
    {
        AwsCredentials credentials = CredentialProcessOutputParser.Parse(
            $$"""{"Version": 1, "AccessKeyId": "ASIAX", "SecretAccessKey": "{{Secret}}", "SessionToken": "tok", "Expiration": "2022-05-02T18:36:00+00:00", "AccountId": "123456789002"}""",
            "Profile", "123456789001");

        Assert.Equal(("ASIAX", Secret, "tok", "123456789002", "Profile"), (credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, credentials.AccountId, credentials.SourceName));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1651516560), credentials.Expiration);
    }

    [Fact]
    public void Parse_NoAccountIdNoExpiration_FallbackAccountAndNoExpiry()
    {
        AwsCredentials credentials = CredentialProcessOutputParser.Parse("""{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s"}""", "Profile", "123456789001");

        Assert.Equal("123456789001", credentials.AccountId);
        Assert.Null(credentials.Expiration);
        Assert.Null(credentials.SessionToken);
    }

    [Theory]
    [InlineData("invalid json", "could not parse response: invalid JSON in response (line 1, byte 1)")]
    [InlineData("[1]", "could not parse response: invalid JSON in response: expected an object, found Array")]
    [InlineData("{\"AccessKeyId\":\"a\",\"SecretAccessKey\":\"SECRETVALUE\"}", "the response has no Version; it must be 1")]
    [InlineData("{\"Version\":2,\"AccessKeyId\":\"a\",\"SecretAccessKey\":\"SECRETVALUE\"}", "the response has Version 2; only Version 1 is supported")]
    [InlineData("{\"Version\":\"1\",\"AccessKeyId\":\"a\",\"SecretAccessKey\":\"SECRETVALUE\"}", "the response has Version String; only Version 1 is supported")]
    [InlineData("{\"Version\":1,\"SecretAccessKey\":\"SECRETVALUE\"}", "the response has no AccessKeyId")]
    [InlineData("{\"Version\":1,\"AccessKeyId\":\"a\",\"SecretAccessKey\":\"  \"}", "the response has no SecretAccessKey")]
    [InlineData("{\"Version\":1,\"AccessKeyId\":\"a\",\"SecretAccessKey\":7}", "the response's SecretAccessKey is a Number, not a string")]
    [InlineData("{\"Version\":1,\"AccessKeyId\":\"a\",\"SecretAccessKey\":\"SECRETVALUE\",\"Expiration\":\"soon\"}", "the response has Expiration 'soon', which is not an ISO 8601 date and time")]
    [InlineData("{\"Version\":1,\"AccessKeyId\":\"a\",\"SecretAccessKey\":\"SECRETVALUE\" \"SessionToken\":\"TOKENVALUE\"}", "could not parse response: invalid JSON in response (line 1, byte 64)")]
    public void Parse_BadOutput_ExactMessageWithoutSecrets(string output, string message)
    {
        var ex = Assert.Throws<CredentialProcessException>(() => CredentialProcessOutputParser.Parse(output, "Profile", null));

        Assert.Equal(message, ex.Message);
        Assert.False(ex.IsRecoverable);
        Assert.DoesNotContain("SECRETVALUE", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("TOKENVALUE", ex.ToString(), StringComparison.Ordinal);
    }
}
