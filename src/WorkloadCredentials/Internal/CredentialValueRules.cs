namespace WorkloadCredentials.Internal;

/// <summary>
/// What a credential value may hold, whatever its source: printable ASCII without spaces, quotes or backslashes, and a bounded
/// length. AWS access key ids are letters and digits, secrets and session tokens are base64; anything else (invalid UTF-8 decoded
/// to U+FFFD, a newline, a NUL, a quote) is a corrupted answer or file, and sending it would at best fail the signature and at
/// worst split a header. A problem is described without ever quoting the value.
/// </summary>
internal static class CredentialValueRules
{
    /// <summary>The access key id.</summary>
    public const ValueKind AccessKeyId = ValueKind.AccessKeyId;

    /// <summary>The secret access key.</summary>
    public const ValueKind SecretAccessKey = ValueKind.SecretAccessKey;

    /// <summary>The session token.</summary>
    public const ValueKind SessionToken = ValueKind.SessionToken;

    /// <summary>Which credential value is checked.</summary>
    internal enum ValueKind
    {
        /// <summary>The access key id.</summary>
        AccessKeyId,

        /// <summary>The secret access key.</summary>
        SecretAccessKey,

        /// <summary>The session token.</summary>
        SessionToken,
    }

    /// <summary>The longest access key id accepted (IAM allows 16-128 characters).</summary>
    public const int MaxAccessKeyIdLength = 128;

    /// <summary>The longest secret access key accepted (AWS secrets are 40 characters).</summary>
    public const int MaxSecretAccessKeyLength = 1024;

    /// <summary>The longest session token accepted (STS tokens are a few kilobytes).</summary>
    public const int MaxSessionTokenLength = 16 * 1024;

    /// <summary>
    /// Describes what is wrong with the values ("the secret access key holds a control character"), or <see langword="null"/>
    /// when all are well formed. Never quotes a value.
    /// </summary>
    public static string? Problem(string? accessKeyId, string? secretAccessKey, string? sessionToken) =>
        Problem(accessKeyId, AccessKeyId) ?? Problem(secretAccessKey, SecretAccessKey) ?? Problem(sessionToken, SessionToken);

    /// <summary>Throws <see cref="ArgumentException"/> naming the parameter and the problem (never the value) when malformed.</summary>
    public static void ThrowIfMalformed(string? value, ValueKind kind, string paramName)
    {
        if (Problem(value, kind) is { } problem)
        {
            throw new ArgumentException($"Malformed credentials: {problem}.", paramName);
        }
    }

    /// <summary>Describes what is wrong with one value, or <see langword="null"/> when it is well formed. Never quotes the value.</summary>
    public static string? Problem(string? value, ValueKind kind)
    {
        (string what, int maxLength) = kind switch
        {
            ValueKind.AccessKeyId => ("the access key id", MaxAccessKeyIdLength),
            ValueKind.SecretAccessKey => ("the secret access key", MaxSecretAccessKeyLength),
            _ => ("the session token", MaxSessionTokenLength),
        };
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            return $"{what} is {value.Length} characters long, more than the {maxLength} any AWS credential has";
        }

        foreach (char c in value)
        {
            string? problem = c switch
            {
                '\uFFFD' => "holds a character that is not valid UTF-8 (U+FFFD after decoding)",
                '\r' or '\n' => "holds a line break",
                '\0' => "holds a NUL character",
                < ' ' or '\u007f' => "holds a control character",
                ' ' => "holds a space",
                '"' or '\'' or '\\' => "holds a quote or a backslash",
                > '\u007f' => "holds a character that is not ASCII",
                _ => null,
            };
            if (problem is not null)
            {
                return $"{what} {problem}";
            }
        }

        return null;
    }
}
