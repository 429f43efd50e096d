using System.Globalization;
using WorkloadCredentials.Diagnostics;

namespace WorkloadCredentials.Tool.Describe;

/// <summary>
/// Writes <c>describe</c> for people: one field per line, then one line per source of the chain. Every text was cleaned by
/// <see cref="CredentialDescription.From"/> (no secret, no control character).
/// </summary>
internal static class DescriptionTextWriter
{
    public static void Write(TextWriter output, CredentialDescription d)
    {
        if (d.Resolved)
        {
            Field(output, "Source", d.Source!);
            Field(output, "Access key id", d.AccessKeyId!);
            Field(output, "Temporary", d.Temporary ? "yes (session token present)" : "no (long-lived keys)");
            Field(output, "Account id", d.AccountId ?? "unknown");
            Field(output, "Role ARN", d.RoleArn ?? "none");
            if (d.ExternalId is { } externalId)
            {
                Field(output, "External ID", externalId);
            }

            Field(output, "Expiration", d.Expiration is { } e ? $"{DescriptionJsonWriter.FormatTime(e)} ({Remaining(d.ExpiresInSeconds!.Value)})" : "never");
            if (d.Profile is { } profile)
            {
                Field(output, "Profile", $"{profile.Name} ({profile.Origin})");
                Field(output, "Profile chain", profile.Chain);
                Field(output, "Profile files", $"config {profile.ConfigFile ?? "(none)"}, credentials {profile.CredentialsFile ?? "(none)"}");
                if (profile.SsoTokenExpiration is { } ssoToken)
                {
                    Field(output, "SSO token", $"expires {DescriptionJsonWriter.FormatTime(ssoToken)} ({Remaining(profile.SsoTokenExpiresInSeconds!.Value)}; renewed by aws sso login)");
                }
            }

            if (d.IgnoredRoleSetting is { } ignored)
            {
                Field(output, "Ignored role", $"{ignored} (keys win; remove the keys to use the role)");
            }
        }
        else
        {
            Field(output, "Source", d.ErrorKind == Internal.ResolutionErrorKind.NoCredentials
                ? "none (no source is configured)"
                : $"none ({d.ErrorSource ?? "a source"} failed)");
        }

        if (d.Sources.Count == 0)
        {
            return;
        }

        output.WriteLine("Sources, in chain order:");
        int width = d.Sources.Max(s => s.Name.Length);
        foreach (DescribedSource entry in d.Sources)
        {
            string status = entry.Status switch
            {
                CredentialSourceStatus.Chosen => "chosen",
                CredentialSourceStatus.Unavailable => "skipped",
                CredentialSourceStatus.Failed => "FAILED",
                _ => "not tried",
            };
            string line = $"  {entry.Name.PadRight(width)}  {status,-9}";
            if (entry.Reason is { } reason)
            {
                line += "  " + WithoutSourcePrefix(entry.Name, reason);
            }

            output.WriteLine(line.TrimEnd());
        }
    }

    private static void Field(TextWriter output, string name, string value) => output.WriteLine($"{name + ":",-15} {value}");

    /// <summary>The chain prefixes reasons with the source's name; the table already shows it.</summary>
    private static string WithoutSourcePrefix(string sourceName, string reason) =>
        reason.StartsWith(sourceName + ": ", StringComparison.Ordinal) ? reason[(sourceName.Length + 2)..] : reason;

    private static string Remaining(long seconds)
    {
        if (seconds < 0)
        {
            return "expired " + Duration(-seconds) + " ago";
        }

        return "in " + Duration(seconds);
    }

    private static string Duration(long seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalHours}h {span.Minutes:D2}m")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds:D2}s");
    }
}
