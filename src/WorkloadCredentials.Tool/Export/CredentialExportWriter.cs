using System.Text.Encodings.Web;
using System.Text.Json;
using WorkloadCredentials.Tool.Describe;

namespace WorkloadCredentials.Tool.Export;

/// <summary>The two outputs that carry secrets: the <c>credential_process</c> JSON and shell <c>export</c> lines.</summary>
internal static class CredentialExportWriter
{
    public const string AccessKeyIdVariable = "AWS_ACCESS_KEY_ID";
    public const string SecretAccessKeyVariable = "AWS_SECRET_ACCESS_KEY";
    public const string SessionTokenVariable = "AWS_SESSION_TOKEN";

    /// <summary>The variable the AWS CLI v2 (<c>aws configure export-credentials --format env</c>) writes the expiry to.</summary>
    public const string ExpirationVariable = "AWS_CREDENTIAL_EXPIRATION";

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The <c>credential_process</c> output the AWS CLI and SDKs read: <c>Version</c> 1, <c>AccessKeyId</c>, <c>SecretAccessKey</c>, then
    /// <c>SessionToken</c> and <c>Expiration</c> (ISO-8601, UTC) when the credentials have them. One line.
    /// </summary>
    public static void WriteProcess(TextWriter output, AwsCredentials credentials)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("Version", 1);
            json.WriteString("AccessKeyId", credentials.AccessKeyId);
            json.WriteString("SecretAccessKey", credentials.SecretAccessKey);
            if (credentials.SessionToken is { } token)
            {
                json.WriteString("SessionToken", token);
            }

            if (credentials.Expiration is { } expiration)
            {
                json.WriteString("Expiration", DescriptionJsonWriter.FormatTime(expiration));
            }

            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>
    /// Shell lines for <c>eval "$(workload-credentials export --format env)"</c>: every value single-quoted; a token or expiry the
    /// credentials do not have is unset, so that a stale one left in the shell cannot pair with the new keys.
    /// </summary>
    public static void WriteEnv(TextWriter output, AwsCredentials credentials)
    {
        Export(output, AccessKeyIdVariable, credentials.AccessKeyId);
        Export(output, SecretAccessKeyVariable, credentials.SecretAccessKey);
        Export(output, SessionTokenVariable, credentials.SessionToken);
        Export(output, ExpirationVariable, credentials.Expiration is { } e ? DescriptionJsonWriter.FormatTime(e) : null);
    }

    private static void Export(TextWriter output, string name, string? value) =>
        output.WriteLine(value is null ? $"unset {name}" : $"export {name}={ShellQuoting.Quote(value)}");
}
