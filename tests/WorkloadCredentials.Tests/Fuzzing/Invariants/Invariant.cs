using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Tests.Fuzzing.Invariants;

/// <summary>An invariant of a parser did not hold: a fuzz target reports it as a crash, a property test as a failure.</summary>
internal sealed class InvariantViolationException : Exception
{
    public InvariantViolationException()
    {
    }

    public InvariantViolationException(string message)
        : base(message)
    {
    }

    public InvariantViolationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The checks shared by the fuzz targets (fuzz/WorkloadCredentials.Fuzz links this folder) and the property tests: each throws
/// <see cref="InvariantViolationException"/> naming the broken rule.
/// </summary>
internal static class Invariant
{
    /// <summary>Runs of this many characters of the base64 alphabet in an input are treated as secrets a message must not quote.</summary>
    public const int SecretLikeLength = 16;

    public static void That(bool condition, string rule)
    {
        if (!condition)
        {
            throw new InvariantViolationException(rule);
        }
    }

    /// <summary>Text bound for a message or a log: no control, format or unassigned character, no unpaired surrogate.</summary>
    public static void IsPrintable(string? text, string what)
    {
        if (text is null)
        {
            return;
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            That(!SafeText.IsUnsafe(c), $"{what} holds the unescaped character U+{(int)c:X4} at {i}");
        }
    }

    /// <summary>Neither <paramref name="secret"/> nor (when longer than the masker's fragment) any fragment of it appears in <paramref name="text"/>.</summary>
    public static void DoesNotLeak(string? text, string? secret, string what)
    {
        if (text is null || secret is null || secret.Length < SecretMasker.MinSecretLength)
        {
            return;
        }

        That(!text.Contains(secret, StringComparison.Ordinal), $"{what} holds a secret ({secret.Length} characters)");
        if (secret.Length > SecretMasker.MinFragmentLength)
        {
            for (int i = 0; i + SecretMasker.MinFragmentLength <= secret.Length; i++)
            {
                That(
                    !text.Contains(secret.AsSpan(i, SecretMasker.MinFragmentLength), StringComparison.Ordinal),
                    $"{what} holds a {SecretMasker.MinFragmentLength}-character fragment of a secret (at {i})");
            }
        }
    }

    /// <summary>No run of <see cref="SecretLikeLength"/> or more base64 characters of <paramref name="input"/> appears in <paramref name="message"/>.</summary>
    public static void QuotesNoSecretLikeRun(string message, string input, string what)
    {
        foreach (string run in SecretLikeRuns(input))
        {
            That(!message.Contains(run, StringComparison.Ordinal), $"{what} quotes a {run.Length}-character run of the input");
        }
    }

    /// <summary>The maximal runs of <see cref="SecretLikeLength"/> or more characters of the base64 alphabet (<c>A-Za-z0-9+/=</c>).</summary>
    public static IEnumerable<string> SecretLikeRuns(string input)
    {
        int start = -1;
        for (int i = 0; i <= input.Length; i++)
        {
            bool inAlphabet = i < input.Length && (char.IsAsciiLetterOrDigit(input[i]) || input[i] is '+' or '/' or '=');
            if (inAlphabet && start < 0)
            {
                start = i;
            }
            else if (!inAlphabet && start >= 0)
            {
                if (i - start >= SecretLikeLength)
                {
                    yield return input[start..i];
                }

                start = -1;
            }
        }
    }
}
