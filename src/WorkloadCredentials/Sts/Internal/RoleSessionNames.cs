using System.Reflection;
using System.Text;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// Builds the default role session name, valid for STS (2-64 characters of <c>[\w+=,.@-]</c>): the application's name and the host's
/// (on Kubernetes the pod's) name, e.g. <c>BackupUploader@backup-7c9f</c>. It shows in CloudTrail, so it says who assumed the role.
/// </summary>
internal static class RoleSessionNames
{
    private const string Fallback = "workload-credentials";

    public static string CreateDefault() => Create(
        Assembly.GetEntryAssembly()?.GetName().Name ?? AppDomain.CurrentDomain.FriendlyName,
        System.Environment.MachineName);

    public static string Create(string? application, string? host)
    {
        string app = Sanitize(application);
        string machine = Sanitize(host);
        string name = (app.Length, machine.Length) switch
        {
            (0, 0) => Fallback,
            (0, _) => $"{Fallback}@{machine}",
            (_, 0) => app,
            _ => $"{app}@{machine}",
        };

        if (name.Length > 64)
        {
            name = name[..64];
        }

        return name.Length >= 2 ? name : Fallback;
    }

    private static string Sanitize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(value.Length);
        foreach (char c in value.Trim())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '=' or ',' or '.' or '-' ? c : '-');
        }

        return builder.ToString().Trim('-');
    }
}
