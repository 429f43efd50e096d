using System.Globalization;
using System.Net;
using System.Text.Json;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// The rules STS puts on its parameters, checked before any request so that a typo fails at start-up with a message naming the
/// setting. Each method returns <see langword="null"/> when the value is valid, else the message. Messages never echo values that
/// may be sensitive (External IDs, tokens); role ARNs, session names and regions are not secrets and are echoed to help the fix.
/// </summary>
internal static class StsValidation
{
    public const int MaxPolicyLength = 2048;
    public const int MaxTags = 50;
    public const int MaxWebIdentityTokenBytes = 64 * 1024;

    public static string? RoleArn(string value, string setting)
    {
        // arn:<partition>:iam::<account-id>:role/<path/><name>. The account id is digits but not pinned to 12 of them: the AWS
        // SDKs' own test vectors use shorter and longer ones (smithy-rs web_identity_token_profile: 13), and STS itself is the
        // judge of the account.
        string[] parts = value.Split(':', 6);
        bool valid = parts.Length == 6
            && parts[0] == "arn"
            && parts[1].StartsWith("aws", StringComparison.Ordinal) && parts[1].All(c => IsLowerAlphaNumeric(c) || c == '-')
            && parts[2] == "iam"
            && parts[3].Length == 0
            && parts[4].Length is > 0 and <= 32 && parts[4].All(char.IsAsciiDigit)
            && parts[5].StartsWith("role/", StringComparison.Ordinal)
            && parts[5].Length is > 5 and <= 2048
            && !parts[5].EndsWith('/')
            && parts[5].All(c => IsStsWordChar(c) || c is '/' or '+' or '=' or ',' or '.' or '@' or '-');
        return valid
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{setting} is not an IAM role ARN: expected arn:aws:iam::<account-id>:role/<name>, got '{Printable(value)}'.");
    }

    public static string? RoleSessionName(string value, string setting) =>
        value.Length is >= 2 and <= 64 && value.All(c => IsStsWordChar(c) || c is '+' or '=' or ',' or '.' or '@' or '-')
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{setting} must be 2-64 characters of letters, digits and + = , . @ _ - (got '{Printable(value)}', {value.Length} characters).");

    public static string? SourceIdentity(string value, string setting) =>
        value.Length is >= 2 and <= 64 && value.All(c => IsStsWordChar(c) || c is '+' or '=' or ',' or '.' or '@' or '-')
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{setting} must be 2-64 characters of letters, digits and + = , . @ _ - (got {value.Length} characters).");

    /// <summary>The External ID is shared with a third party: its value is never echoed.</summary>
    public static string? ExternalId(string value, string setting) =>
        value.Length is >= 2 and <= 1224 && value.All(c => IsStsWordChar(c) || c is '+' or '=' or ',' or '.' or '@' or ':' or '/' or '-')
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{setting} must be 2-1224 characters of letters, digits and + = , . @ : / _ - (got {value.Length} characters; the value is not shown).");

    public static string? Duration(TimeSpan value, string setting) =>
        value >= StsConstants.MinDuration && value <= StsConstants.MaxDuration
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{setting} must lie between 00:15:00 and 12:00:00 (got {value:c}).");

    public static string? Region(string value, string setting)
    {
        bool valid = value.Length is > 0 and <= 50
            && IsLowerAlphaNumeric(value[0]) && IsLowerAlphaNumeric(value[^1])
            && value.All(c => IsLowerAlphaNumeric(c) || c == '-');
        return valid
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{setting} is not an AWS region name such as eu-west-1 (got '{Printable(value)}').");
    }

    public static string? RegionalEndpoints(string value, string setting) =>
        value.Equals("regional", StringComparison.OrdinalIgnoreCase) || value.Equals("legacy", StringComparison.OrdinalIgnoreCase)
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{setting} must be 'regional' or 'legacy' (got '{Printable(value)}').");

    /// <summary>Checks an endpoint URL; on success <paramref name="url"/> is the parsed value.</summary>
    /// <param name="value">The configured text.</param>
    /// <param name="setting">The setting's name.</param>
    /// <param name="allowAnyHttpHost">True when the network is replaced by an injected handler (tests, recorded scenarios): nothing leaves the process.</param>
    /// <param name="url">The parsed URL.</param>
    public static string? EndpointUrl(string value, string setting, bool allowAnyHttpHost, out Uri? url)
    {
        url = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? parsed)
            || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp)
            || string.IsNullOrEmpty(parsed.Host))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{setting} must be an absolute https:// URL such as https://sts.eu-west-1.amazonaws.com (got '{RedactUrl(value)}').");
        }

        if (parsed.UserInfo.Length > 0 || parsed.Query.Length > 0 || parsed.Fragment.Length > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{setting} must not carry user information, a query or a fragment (got '{RedactUrl(value)}').");
        }

        if (parsed.Scheme == Uri.UriSchemeHttp && !allowAnyHttpHost && !IsLoopback(parsed))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{setting} uses plain http:// for host '{parsed.Host}': STS returns credentials, so use https:// (plain http:// is accepted only for localhost, 127.0.0.1 and ::1).");
        }

        url = parsed;
        return null;
    }

    public static string? Policy(string value, string setting)
    {
        if (value.Length > MaxPolicyLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{setting} is {value.Length} characters long; STS accepts session policies of at most {MaxPolicyLength} characters.");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(value);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? null
                : string.Create(CultureInfo.InvariantCulture, $"{setting} must be a JSON policy document (an object with Version and Statement).");
        }
        catch (JsonException)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{setting} is not valid JSON; it must be a JSON policy document (an object with Version and Statement).");
        }
    }

    public static IEnumerable<string> Tags(IDictionary<string, string>? tags, string setting)
    {
        if (tags is null || tags.Count == 0)
        {
            yield break;
        }

        if (tags.Count > MaxTags)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{setting} has {tags.Count} session tags; STS accepts at most {MaxTags}.");
        }

        foreach (KeyValuePair<string, string> tag in tags)
        {
            if (tag.Key.Length is < 1 or > 128 || !tag.Key.All(IsTagChar))
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"{setting} has a tag key '{Printable(tag.Key)}' that is not 1-128 characters of letters, digits, spaces and _ . : / = + - @.");
            }
            else if ((tag.Value ?? string.Empty).Length > 256 || !(tag.Value ?? string.Empty).All(IsTagChar))
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"{setting} has a value for tag '{tag.Key}' that is not 0-256 characters of letters, digits, spaces and _ . : / = + - @.");
            }
        }
    }

    public static string? AttemptTimeout(TimeSpan value, string setting) => TimeoutRange(value, setting);

    public static string? TotalTimeout(TimeSpan value, string setting) => TimeoutRange(value, setting);

    public static string? AttemptWithinTotal(TimeSpan attempt, TimeSpan total, string attemptSetting, string totalSetting) =>
        attempt <= total
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{attemptSetting} ({attempt:c}) must not exceed {totalSetting} ({total:c}).");

    public static string? MaxRetryAttempts(int value, string setting) =>
        value is >= 0 and <= StsConstants.MaxMaxRetryAttempts
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{setting} must lie between 0 and {StsConstants.MaxMaxRetryAttempts} (got {value}).");

    public static string? RetryBaseDelay(TimeSpan value, string setting) =>
        value >= TimeSpan.Zero && value <= StsConstants.MaxRetryBaseDelay
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{setting} must lie between 00:00:00 and 00:00:30 (got {value:c}).");

    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.IdnHost, out IPAddress? address) && IPAddress.IsLoopback(address));

    /// <summary>Shows a URL without user information, query or fragment, which may carry secrets.</summary>
    public static string RedactUrl(string value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out Uri? parsed) && !string.IsNullOrEmpty(parsed.Host))
        {
            string suffix = parsed.UserInfo.Length > 0 || parsed.Query.Length > 0 || parsed.Fragment.Length > 0 ? " (details hidden)" : string.Empty;
            return parsed.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) + suffix;
        }

        return Printable(value.Length > 100 ? value[..100] + "..." : value);
    }

    /// <summary>Makes a value safe to quote: control characters escaped, long values cut.</summary>
    public static string Printable(string value) => WorkloadCredentials.Internal.SafeText.Escape(value);

    private static string? TimeoutRange(TimeSpan value, string setting) =>
        value >= StsConstants.MinTimeout && value <= StsConstants.MaxTimeout
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{setting} must lie between 00:00:00.1 and 00:05:00 (got {value:c}).");

    /// <summary>The <c>\w</c> of STS's patterns: ASCII letters, digits and underscore.</summary>
    private static bool IsStsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool IsLowerAlphaNumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    private static bool IsTagChar(char c) => char.IsLetterOrDigit(c) || c == ' ' || c is '_' or '.' or ':' or '/' or '=' or '+' or '-' or '@';
}
