using System.Globalization;
using System.Text.Json;

namespace WorkloadCredentials.Internal;

/// <summary>
/// The JSON credentials document that EC2 instance metadata and the container credentials endpoints (ECS, EKS Pod Identity)
/// answer with: <c>AccessKeyId</c>, <c>SecretAccessKey</c>, <c>Token</c>, <c>Expiration</c> (ISO-8601), and optionally
/// <c>AccountId</c>, <c>RoleArn</c>, and on IMDS <c>Code</c>/<c>Message</c>. Unknown members are ignored.
/// Parse errors never quote the document: it may hold a secret.
/// </summary>
internal sealed class JsonCredentialsDocument
{
    /// <summary>The deepest nesting parsed (a credentials document is one level deep).</summary>
    public const int MaxDepth = 64;

    private JsonCredentialsDocument()
    {
    }

    public string? Code { get; private init; }

    public string? Message { get; private init; }

    public string? AccessKeyId { get; private init; }

    public string? SecretAccessKey { get; private init; }

    public string? Token { get; private init; }

    public string? Expiration { get; private init; }

    public string? AccountId { get; private init; }

    public string? RoleArn { get; private init; }

    /// <summary>Parses a document. On failure <paramref name="problem"/> says what is wrong without quoting any value.</summary>
    public static bool TryParse(string json, out JsonCredentialsDocument? document, out string? problem)
    {
        document = null;
        try
        {
            using JsonDocument parsed = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
            if (parsed.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "the answer is JSON but not an object";
                return false;
            }

            JsonElement root = parsed.RootElement;
            document = new JsonCredentialsDocument
            {
                Code = ReadString(root, "Code"),
                Message = ReadString(root, "Message"),
                AccessKeyId = ReadString(root, "AccessKeyId"),
                SecretAccessKey = ReadString(root, "SecretAccessKey"),
                Token = ReadString(root, "Token"),
                Expiration = ReadString(root, "Expiration"),
                AccountId = ReadString(root, "AccountId"),
                RoleArn = ReadString(root, "RoleArn"),
            };
            problem = null;
            return true;
        }
        catch (JsonException ex)
        {
            // The JsonException text can quote a character of the body: report the position only.
            problem = NestingDepthExceeds(json, MaxDepth)
                ? $"the answer is not valid JSON: it is nested deeper than {MaxDepth} levels"
                : string.Create(CultureInfo.InvariantCulture, $"the answer is not valid JSON (line {ex.LineNumber ?? 0}, byte {ex.BytePositionInLine ?? 0})");
            return false;
        }
        catch (ArgumentException)
        {
            // A lone surrogate: UTF-8 decoding never makes one, but a caller's string can hold one.
            problem = "the answer is not valid JSON: it is not valid Unicode";
            return false;
        }
        catch (InvalidOperationException)
        {
            // A string member escapes a lone surrogate ("\udddd"): valid JSON syntax, but GetString cannot make it a string.
            problem = "the answer is not valid JSON: a string member escapes an unpaired surrogate (\\uD800-\\uDFFF)";
            return false;
        }
    }

    /// <summary>
    /// Checks the members credentials need and parses the expiration. <paramref name="problem"/> names the missing or invalid member, never its value.
    /// </summary>
    public bool TryGetCredentials(string sourceName, bool expirationRequired, out AwsCredentials? credentials, out string? problem)
    {
        credentials = null;
        if (string.IsNullOrWhiteSpace(AccessKeyId))
        {
            problem = "the answer has no AccessKeyId";
            return false;
        }

        if (string.IsNullOrWhiteSpace(SecretAccessKey))
        {
            problem = "the answer has no SecretAccessKey";
            return false;
        }

        if (CredentialValueRules.Problem(AccessKeyId, SecretAccessKey, Token) is { } malformed)
        {
            // Checked here so the source names itself and its endpoint; the AwsCredentials constructor would only say "malformed".
            problem = "the credentials are malformed: " + malformed;
            return false;
        }

        DateTimeOffset? expiration = null;
        if (string.IsNullOrWhiteSpace(Expiration))
        {
            if (expirationRequired)
            {
                problem = "the answer has no Expiration";
                return false;
            }
        }
        else if (DateTimeOffset.TryParse(Expiration, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed))
        {
            expiration = parsed;
        }
        else
        {
            problem = "the answer's Expiration is not an ISO-8601 date";
            return false;
        }

        credentials = new AwsCredentials(AccessKeyId, SecretAccessKey, Token, expiration, sourceName)
        {
            AccountId = string.IsNullOrWhiteSpace(AccountId) ? null : AccountId,
            RoleArn = string.IsNullOrWhiteSpace(RoleArn) ? null : RoleArn,
        };
        problem = null;
        return true;
    }

    /// <summary>Whether <paramref name="json"/> nests arrays or objects deeper than <paramref name="maxDepth"/> (strings skipped).</summary>
    private static bool NestingDepthExceeds(string json, int maxDepth)
    {
        int depth = 0;
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            char c = json[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is '[' or '{')
            {
                if (++depth > maxDepth)
                {
                    return true;
                }
            }
            else if (c is ']' or '}')
            {
                depth--;
            }
        }

        return false;
    }

    private static string? ReadString(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
