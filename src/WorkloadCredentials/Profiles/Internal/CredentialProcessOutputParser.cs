using System.Globalization;
using System.Text.Json;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Reads the JSON a <c>credential_process</c> prints: <c>Version</c> (must be 1), <c>AccessKeyId</c>, <c>SecretAccessKey</c>,
/// optional <c>SessionToken</c>, <c>Expiration</c> (ISO 8601) and <c>AccountId</c>. Messages never quote the output. Credential values
/// are checked like every other source's (<see cref="CredentialValueRules"/>), and credentials that expired are refused.
/// </summary>
internal static class CredentialProcessOutputParser
{
    /// <param name="output">The process's standard output.</param>
    /// <param name="sourceName">The source name to stamp on the credentials.</param>
    /// <param name="fallbackAccountId">The profile's <c>aws_account_id</c>, used when the output has no <c>AccountId</c>.</param>
    /// <param name="now">The current time: an <c>Expiration</c> at or before it is refused. <see langword="null"/> skips that check.</param>
    /// <exception cref="CredentialProcessException">The output is not valid Version 1 JSON, holds a malformed value, or has expired.</exception>
    public static AwsCredentials Parse(string output, string sourceName, string? fallbackAccountId, DateTimeOffset? now = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(output);
        }
        catch (JsonException ex)
        {
            string where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
            // No inner exception: the JsonException's text can quote a character of the output.
            throw Invalid($"could not parse response: invalid JSON in response{where}");
        }
        catch (ArgumentException)
        {
            // A lone surrogate: UTF-8 decoding never makes one, but a caller's string can hold one.
            throw Invalid("could not parse response: invalid JSON in response: the text is not valid Unicode");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"could not parse response: invalid JSON in response: expected an object, found {root.ValueKind}");
            }

            if (!root.TryGetProperty("Version", out JsonElement version))
            {
                throw Invalid("the response has no Version; it must be 1");
            }

            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int number) || number != 1)
            {
                string shown = version.ValueKind == JsonValueKind.Number ? SafeText.Escape(version.GetRawText(), 32) : version.ValueKind.ToString();
                throw Invalid($"the response has Version {shown}; only Version 1 is supported");
            }

            string accessKeyId = Checked(RequiredString(root, "AccessKeyId"), "AccessKeyId", CredentialValueRules.AccessKeyId);
            string secretAccessKey = Checked(RequiredString(root, "SecretAccessKey"), "SecretAccessKey", CredentialValueRules.SecretAccessKey);
            string? sessionToken = Checked(OptionalString(root, "SessionToken"), "SessionToken", CredentialValueRules.SessionToken);
            string? accountId = OptionalString(root, "AccountId") ?? fallbackAccountId;
            DateTimeOffset? expiration = null;
            if (OptionalString(root, "Expiration") is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed))
                {
                    throw Invalid($"the response has Expiration '{SafeText.Escape(text, 64)}', which is not an ISO 8601 date and time");
                }

                expiration = parsed;
                if (now is { } current && parsed <= current)
                {
                    // Running it again may give fresh credentials (a helper that served a stale cache): recoverable.
                    throw new CredentialProcessException(
                        $"the output's Expiration {FormatTime(parsed)} is in the past (now {FormatTime(current)}): the program printed expired credentials",
                        isRecoverable: true);
                }
            }

            return new AwsCredentials(accessKeyId, secretAccessKey, sessionToken, expiration, sourceName) { AccountId = accountId };
        }
    }

    private static string FormatTime(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    private static string? Checked(string? value, string name, CredentialValueRules.ValueKind kind) =>
        CredentialValueRules.Problem(value, kind) is { } problem ? throw Invalid($"the output's {name} is malformed: {problem}") : value;

    private static string RequiredString(JsonElement root, string name) =>
        OptionalString(root, name) ?? throw Invalid($"the response has no {name}");

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"the response's {name} is a {value.ValueKind}, not a string");
        }

        string? text;
        try
        {
            text = value.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\udddd"): valid JSON syntax, but no string.
            throw Invalid($"the response's {name} escapes an unpaired surrogate (\\uD800-\\uDFFF), which is not text");
        }

        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    private static CredentialProcessException Invalid(string message, Exception? inner = null) => new(message, isRecoverable: false, inner);
}
