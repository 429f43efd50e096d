using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Tests.Internal;

public sealed class SecretMaskerTests
{
    private const string Token = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJl";

    [Fact]
    public void MaskSecrets_WholeSecret_Masked()
    {
        string masked = SecretMasker.MaskSecrets($"Request was WebIdentityToken={Token}&Version=2011-06-15", Token);

        Assert.Equal("Request was WebIdentityToken=***&Version=2011-06-15", masked);
    }

    [Fact]
    public void MaskSecrets_SecretMinusLastCharacter_Masked()
    {
        string masked = SecretMasker.MaskSecrets("echo: " + Token[..^1] + " end", Token);

        Assert.Equal("echo: *** end", masked);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(50)]
    public void MaskSecrets_TwelveCharacterFragment_Masked(int start)
    {
        string fragment = Token.Substring(start, SecretMasker.MinFragmentLength);

        string masked = SecretMasker.MaskSecrets("<Message>" + fragment + "</Message>", Token);

        Assert.Equal("<Message>***</Message>", masked);
    }

    [Fact]
    public void MaskSecrets_ElevenCharacterFragment_Kept()
    {
        string fragment = Token.Substring(5, SecretMasker.MinFragmentLength - 1);

        string masked = SecretMasker.MaskSecrets("x " + fragment + " y", Token);

        Assert.Equal("x " + fragment + " y", masked);
    }

    [Fact]
    public void MaskSecrets_SeveralSecretsAndRepeats_AllMasked()
    {
        const string externalId = "customer-external-id-0042";
        string text = $"a {Token} b {externalId} c {Token[10..40]} d {externalId}";

        string masked = SecretMasker.MaskSecrets(text, Token, null, externalId, string.Empty);

        Assert.Equal("a *** b *** c *** d ***", masked);
        Assert.False(SecretMasker.ContainsSecret(masked, Token, externalId));
        Assert.True(SecretMasker.ContainsSecret(text, Token));
    }

    [Fact]
    public void MaskSecrets_ShortSecret_WholeOccurrenceOnly()
    {
        Assert.Equal("id=*** x", SecretMasker.MaskSecrets("id=ab12 x", "ab12"));
        Assert.Equal("abc", SecretMasker.MaskSecrets("abc", "abc"));
    }

    [Fact]
    public void MaskSecrets_NoSecretInText_SameInstance()
    {
        const string text = "AccessDenied: User is not authorized to perform sts:AssumeRole";

        Assert.Same(text, SecretMasker.MaskSecrets(text, Token));
    }
}
