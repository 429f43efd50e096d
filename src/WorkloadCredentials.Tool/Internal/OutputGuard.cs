using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Tool.Internal;

/// <summary>
/// The last check before text from the library or the environment reaches the terminal (stderr, <c>describe</c> text and JSON,
/// <c>--verbose</c> logs): every secret the tool knows of (the keys and token it read or resolved, the External IDs of the profile's
/// roles) and every 12-character fragment of one is masked, and control and format characters are escaped (<see cref="SafeText"/>), so
/// nothing a process, a file or a server wrote can drive the terminal. Line breaks between lines are kept. Only <c>export</c>'s
/// standard output bypasses it: it is the secret.
/// </summary>
internal sealed class OutputGuard
{
    /// <summary>The longest line written; longer ones are cut.</summary>
    public const int MaxLineLength = 4096;

    private readonly List<string> _secrets = [];

    /// <summary>Adds a value never to show (blank or very short values are ignored: masking them would garble the text).</summary>
    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < SecretMasker.MinSecretLength)
        {
            return;
        }

        lock (_secrets)
        {
            if (!_secrets.Contains(secret, StringComparer.Ordinal))
            {
                _secrets.Add(secret);
            }
        }
    }

    /// <summary>Returns <paramref name="text"/> masked and escaped, line by line.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public string? Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        string[] secrets;
        lock (_secrets)
        {
            secrets = [.. _secrets];
        }

        return SecretMasker.MaskAndEscapeLines(text, MaxLineLength, secrets);
    }
}
