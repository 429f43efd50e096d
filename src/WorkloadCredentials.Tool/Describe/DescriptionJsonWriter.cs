using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using WorkloadCredentials.Diagnostics;

namespace WorkloadCredentials.Tool.Describe;

/// <summary>
/// Writes <c>describe --json</c>. The shape is a contract (documented in the tool's README, schema version 1): every property is always
/// present, in this order, <see langword="null"/> when unknown; new properties may be added, none removed or renamed without a new
/// <c>schemaVersion</c>. Every text was cleaned by <see cref="CredentialDescription.From"/> (no secret, control characters escaped).
/// </summary>
internal static class DescriptionJsonWriter
{
    public const int SchemaVersion = 1;

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter output, CredentialDescription d)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", SchemaVersion);
            json.WriteBoolean("resolved", d.Resolved);
            WriteStringOrNull(json, "source", d.Source);
            WriteStringOrNull(json, "accessKeyId", d.AccessKeyId);
            if (d.Resolved)
            {
                json.WriteBoolean("temporary", d.Temporary);
            }
            else
            {
                json.WriteNull("temporary");
            }

            WriteStringOrNull(json, "accountId", d.AccountId);
            WriteStringOrNull(json, "roleArn", d.RoleArn);
            WriteStringOrNull(json, "expiration", d.Expiration is { } e ? FormatTime(e) : null);
            if (d.ExpiresInSeconds is { } seconds)
            {
                json.WriteNumber("expiresInSeconds", seconds);
            }
            else
            {
                json.WriteNull("expiresInSeconds");
            }

            if (d.Profile is { } profile)
            {
                json.WriteStartObject("profile");
                json.WriteString("name", profile.Name);
                json.WriteString("origin", profile.Origin);
                json.WriteString("chain", profile.Chain);
                WriteStringOrNull(json, "configFile", profile.ConfigFile);
                WriteStringOrNull(json, "credentialsFile", profile.CredentialsFile);
                if (profile.SsoTokenExpiration is { } ssoToken)
                {
                    json.WriteString("ssoTokenExpiration", FormatTime(ssoToken));
                    json.WriteNumber("ssoTokenExpiresInSeconds", profile.SsoTokenExpiresInSeconds!.Value);
                }
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("profile");
            }

            WriteStringOrNull(json, "ignoredRoleSetting", d.IgnoredRoleSetting);

            json.WriteStartArray("sources");
            foreach (DescribedSource entry in d.Sources)
            {
                json.WriteStartObject();
                json.WriteString("name", entry.Name);
                json.WriteString("status", CredentialDescription.StatusName(entry.Status));
                WriteStringOrNull(json, "reason", entry.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            if (d.ErrorKind == Internal.ResolutionErrorKind.None)
            {
                json.WriteNull("error");
            }
            else
            {
                json.WriteStartObject("error");
                json.WriteString("kind", CredentialDescription.ErrorKindName(d.ErrorKind));
                WriteStringOrNull(json, "source", d.ErrorSource);
                WriteStringOrNull(json, "message", d.ErrorMessage);
                json.WriteEndObject();
            }

            WriteStringOrNull(json, "externalId", d.ExternalId);

            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>ISO-8601 in UTC, to the second: <c>2026-01-02T03:04:05Z</c>.</summary>
    public static string FormatTime(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
