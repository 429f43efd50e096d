using System.Globalization;
using System.Text.Json;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Reads the JSON a <c>credential_process</c> prints: <c>Version</c> (must be 1), <c>AccessKeyId</c>, <c>SecretAccessKey</c>,
/// optional <c>SessionToken</c>, <c>Expiration</c> (ISO 8601) and <c>AccountId</c>. Messages never quote the output.
/// </summary>
internal static class CredentialProcessOutputParser
{
    /// <param name="output">The process's standard output.</param>
    /// <param name="sourceName">The source name to stamp on the credentials.</param>
    /// <param name="fallbackAccountId">The profile's <c>aws_account_id</c>, used when the output has no <c>AccountId</c>.</param>
    /// <exception cref="CredentialProcessException">The output is not valid Version 1 JSON.</exception>
    public static AwsCredentials Parse(string output, string sourceName, string? fallbackAccountId)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(output);
        }
        catch (JsonException ex)
        {
            string where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
            throw Invalid($"could not parse response: invalid JSON in response{where}", ex);
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
                string shown = version.ValueKind == JsonValueKind.Number ? version.GetRawText() : version.ValueKind.ToString();
                throw Invalid($"the response has Version {shown}; only Version 1 is supported");
            }

            string accessKeyId = RequiredString(root, "AccessKeyId");
            string secretAccessKey = RequiredString(root, "SecretAccessKey");
            string? sessionToken = OptionalString(root, "SessionToken");
            string? accountId = OptionalString(root, "AccountId") ?? fallbackAccountId;
            DateTimeOffset? expiration = null;
            if (OptionalString(root, "Expiration") is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed))
                {
                    throw Invalid($"the response has Expiration '{text}', which is not an ISO 8601 date and time");
                }

                expiration = parsed;
            }

            return new AwsCredentials(accessKeyId, secretAccessKey, sessionToken, expiration, sourceName) { AccountId = accountId };
        }
    }

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

        string? text = value.GetString();
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    private static CredentialProcessException Invalid(string message, Exception? inner = null) => new(message, isRecoverable: false, inner);
}
