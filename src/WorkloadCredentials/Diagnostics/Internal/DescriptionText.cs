using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Diagnostics.Internal;

/// <summary>
/// Makes a text fit for a <see cref="CredentialSourceDescription"/>: the known secrets (and any 12-character fragment of one) masked, then
/// control and format characters escaped line by line (<see cref="SecretMasker.MaskAndEscapeLines"/>); the line breaks between lines are kept.
/// </summary>
internal sealed class DescriptionText
{
    /// <summary>The longest line kept; longer ones are cut.</summary>
    public const int MaxLineLength = 4096;

    private readonly List<string> _secrets = [];

    /// <summary>Adds a value never to show; blank and very short values are ignored (masking them would garble the text).</summary>
    public void AddSecret(string? secret)
    {
        if (!string.IsNullOrEmpty(secret) && secret.Length >= SecretMasker.MinSecretLength)
        {
            _secrets.Add(secret);
        }
    }

    public string? Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        return SecretMasker.MaskAndEscapeLines(text, MaxLineLength, [.. _secrets]);
    }
}
