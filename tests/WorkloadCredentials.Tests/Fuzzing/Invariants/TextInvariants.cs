using WorkloadCredentials.Container;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Tests.Fuzzing.Invariants;

/// <summary>Invariants of what makes outside text safe to quote: escaping, secret masking, and the container agent's error body.</summary>
internal static class TextInvariants
{
    /// <summary>Escaped text is printable, bounded, and unchanged when it was already safe and short.</summary>
    public static void Escape(string value, int maxLength)
    {
        string escaped = SafeText.Escape(value, maxLength);
        Invariant.IsPrintable(escaped, "escaped text");
        Invariant.That(escaped.Length <= (maxLength * 6) + 3, "escaped text is bounded by its length limit");
        bool safe = true;
        for (int i = 0; i < value.Length && safe; i++)
        {
            bool paired = char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            safe = paired || !SafeText.IsUnsafe(value[i]);
            i += paired ? 1 : 0;
        }

        if (safe && value.Length <= maxLength)
        {
            Invariant.That(escaped == value, "safe, short text is left as it is");
        }

        Invariant.That(SafeText.Escape(escaped, int.MaxValue) == escaped, "escaping is idempotent");
    }

    /// <summary>Masked text holds no secret and no long fragment of one, masking again changes nothing, and text without a secret is kept.</summary>
    public static void Mask(string text, string?[] secrets)
    {
        string masked = SecretMasker.MaskSecrets(text, secrets);
        foreach (string? secret in secrets)
        {
            Invariant.DoesNotLeak(masked, secret, "masked text");
        }

        Invariant.That(SecretMasker.MaskSecrets(masked, secrets) == masked, "masking is idempotent");
        bool holdsAny = false;
        foreach (string? secret in secrets)
        {
            if (secret is { Length: >= SecretMasker.MinSecretLength } && text.Contains(secret, StringComparison.Ordinal))
            {
                holdsAny = true;
            }
        }

        Invariant.That(!holdsAny || SecretMasker.ContainsSecret(text, secrets), "text holding a secret is reported as such");
        Invariant.That(masked == text || SecretMasker.ContainsSecret(text, secrets), "text without a secret is kept as it is");
    }

    /// <summary>What a message quotes of the container agent's error body: printable, bounded, without the authorization token.</summary>
    public static void ContainerErrorBody(string body, string? authorization)
    {
        string detail = ContainerCredentialSource.DescribeErrorBody(body, authorization);
        Invariant.IsPrintable(detail, "the agent's error detail");
        Invariant.DoesNotLeak(detail, authorization, "the agent's error detail");
        Invariant.That(detail.Length <= (200 * 6) + 8, "the agent's error detail is bounded");
        ParserInvariants.CredentialsDocument(body);
    }
}
