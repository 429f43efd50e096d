using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Sso.Internal;

/// <summary>
/// Reads and writes a token cache file the way the AWS SDKs do: <c>&lt;home&gt;/.aws/sso/cache/&lt;sha1&gt;.json</c>, the SHA-1 of the
/// session name (<c>sso_session</c>) or of the start URL (legacy form) in lower-case hex; written back by an atomic replace of a file
/// only the owner may read. Reads are bounded (<see cref="SsoConstants.MaxCacheFileBytes"/>) and never follow into a FIFO or device.
/// </summary>
internal static class SsoTokenCacheFile
{
    /// <summary>The file name of the token of a session (or of a start URL in the legacy form).</summary>
    public static string FileName(string key)
    {
#pragma warning disable CA5350 // SHA-1 is not used for security here: it is the cache key every AWS SDK and the CLI use.
        byte[] hash = SHA1.HashData(Encoding.UTF8.GetBytes(key));
#pragma warning restore CA5350
        return Convert.ToHexString(hash).ToLowerInvariant() + ".json";
    }

    /// <summary>The path of the token file under <paramref name="homeDirectory"/>.</summary>
    public static string PathFor(string homeDirectory, string key) =>
        Path.Combine(homeDirectory, ".aws", "sso", "cache", FileName(key));

    /// <summary>The token file of a profile's request: keyed by the session name, or by the start URL for the legacy form; <see langword="null"/> without a home directory.</summary>
    public static string? PathFor(SsoProfileRequest request) =>
        request.HomeDirectory is { } home ? PathFor(home, request.SessionName ?? request.StartUrl) : null;

    /// <summary>Reads and parses the file.</summary>
    /// <exception cref="FileReadException">The file is missing, not a regular file, too large or unreadable.</exception>
    /// <exception cref="FormatException">The file is not a token cache file; the message says what is wrong, never a value.</exception>
    public static SsoCachedToken Read(string path)
    {
        string text = BoundedFileReader.ReadText(path, SsoConstants.MaxCacheFileBytes);
        JsonObject document;
        try
        {
            document = JsonNode.Parse(text) as JsonObject ?? throw new FormatException("it is not a JSON object");
        }
        catch (JsonException)
        {
            throw new FormatException("it is not valid JSON");
        }

        string accessToken = String(document, "accessToken") ?? throw new FormatException("it has no accessToken");
        DateTimeOffset expiresAt = Date(document, "expiresAt") ?? throw new FormatException("it has no expiresAt date");
        return new SsoCachedToken(document, accessToken, expiresAt)
        {
            RefreshToken = String(document, "refreshToken"),
            ClientId = String(document, "clientId"),
            ClientSecret = String(document, "clientSecret"),
            RegistrationExpiresAt = Date(document, "registrationExpiresAt"),
        };
    }

    /// <summary>
    /// Writes <paramref name="document"/> to <paramref name="path"/> atomically: a temporary file beside it, readable and writable by
    /// the owner only, then renamed over the old file, so a reader sees the old token or the new one, never half of either.
    /// </summary>
    public static void Write(string path, JsonObject document)
    {
        string directory = Path.GetDirectoryName(path)!;
        string temporary = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        byte[] bytes = Encoding.UTF8.GetBytes(document.ToJsonString());
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>The SDKs' format of the dates in the file: UTC, to the second.</summary>
    public static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? String(JsonObject document, string name) =>
        document[name] is JsonValue value && value.TryGetValue(out string? text) && !string.IsNullOrWhiteSpace(text) ? text : null;

    private static DateTimeOffset? Date(JsonObject document, string name)
    {
        if (document[name] is null)
        {
            return null;
        }

        return String(document, name) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset date)
            ? date
            : throw new FormatException($"its {name} is not a date");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
