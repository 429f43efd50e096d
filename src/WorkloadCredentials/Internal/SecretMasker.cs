namespace WorkloadCredentials.Internal;

/// <summary>
/// Masks known secrets in text that may echo them (an STS error that repeats the request, a proxy's error page, a child process's
/// stderr): every occurrence of a secret, and every fragment of <see cref="MinFragmentLength"/> or more characters of a secret, is
/// replaced by <c>***</c>. Used on the failure path only; it allocates.
/// </summary>
internal static class SecretMasker
{
    /// <summary>The shortest fragment of a secret that is masked wherever it appears.</summary>
    public const int MinFragmentLength = 12;

    /// <summary>The shortest secret masked at all (whole occurrences only when shorter than <see cref="MinFragmentLength"/>).</summary>
    public const int MinSecretLength = 4;

    private const string Mask = "***";

    /// <summary>Returns <paramref name="text"/> with every secret and every long fragment of one replaced by <c>***</c>.</summary>
    public static string MaskSecrets(string? text, params ReadOnlySpan<string?> secrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        // One pass is enough unless the mask itself completes a secret (a secret that holds '*': "a***b" in "aa***bb"). Each pass that
        // masks replaces runs of at least MinSecretLength characters by the 3-character mask, so the text shrinks and the loop ends.
        string current = text;
        while (MaskOnce(current, secrets) is { } masked)
        {
            current = masked;
        }

        return current;
    }

    /// <summary>
    /// Masks secrets, escapes control and format characters and cuts the text (<see cref="SafeText.Escape"/>), then masks again: an
    /// escape (<c>\u202e</c>) or the cut's <c>...</c> could complete a secret that holds such characters.
    /// </summary>
    public static string MaskAndEscape(string? text, int maxLength, params ReadOnlySpan<string?> secrets) =>
        MaskSecrets(SafeText.Escape(MaskSecrets(text, secrets), maxLength), secrets);

    /// <summary>
    /// <see cref="MaskAndEscape"/> line by line for multi-line text (describe, stderr): secrets masked across the whole text first, then
    /// each line escaped and cut to <paramref name="maxLineLength"/>, the line breaks between lines kept (a trailing CR dropped).
    /// </summary>
    public static string MaskAndEscapeLines(string text, int maxLineLength, params ReadOnlySpan<string?> secrets)
    {
        string[] lines = MaskSecrets(text, secrets).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            lines[i] = MaskAndEscape(lines[i].TrimEnd('\r'), maxLineLength, secrets);
        }

        return string.Join('\n', lines);
    }

    /// <summary>Whether <paramref name="text"/> holds a secret or a fragment of <see cref="MinFragmentLength"/> characters of one.</summary>
    public static bool ContainsSecret(string? text, params ReadOnlySpan<string?> secrets) =>
        !string.IsNullOrEmpty(text) && !ReferenceEquals(MaskSecrets(text, secrets), text);

    /// <summary>Masks every secret and long fragment once; <see langword="null"/> when there was nothing to mask.</summary>
    private static string? MaskOnce(string text, ReadOnlySpan<string?> secrets)
    {
        bool[]? masked = null;
        foreach (string? secret in secrets)
        {
            if (string.IsNullOrEmpty(secret) || secret.Length < MinSecretLength)
            {
                continue;
            }

            MarkWhole(text, secret, ref masked);
            if (secret.Length > MinFragmentLength)
            {
                MarkFragments(text, secret, ref masked);
            }
        }

        return masked is null ? null : Apply(text, masked);
    }

    private static void MarkWhole(string text, string secret, ref bool[]? masked)
    {
        int start = 0;
        int index;
        while (start <= text.Length - secret.Length && (index = text.IndexOf(secret, start, StringComparison.Ordinal)) >= 0)
        {
            masked ??= new bool[text.Length];
            Array.Fill(masked, true, index, secret.Length);
            start = index + 1;
        }
    }

    private static void MarkFragments(string text, string secret, ref bool[]? masked)
    {
        ReadOnlySpan<char> secretSpan = secret.AsSpan();
        for (int i = 0; i + MinFragmentLength <= text.Length; i++)
        {
            if (masked is not null && masked[i] && masked[i + MinFragmentLength - 1])
            {
                continue;
            }

            if (secretSpan.IndexOf(text.AsSpan(i, MinFragmentLength), StringComparison.Ordinal) >= 0)
            {
                masked ??= new bool[text.Length];
                Array.Fill(masked, true, i, MinFragmentLength);
            }
        }
    }

    private static string Apply(string text, bool[] masked)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            if (masked[i])
            {
                builder.Append(Mask);
                while (i < text.Length && masked[i])
                {
                    i++;
                }
            }
            else
            {
                builder.Append(text[i]);
                i++;
            }
        }

        return builder.ToString();
    }
}
