using System.Security.Cryptography;
using System.Text;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Finds a <c>credential_process</c> that loops back into this library: a profile whose <c>credential_process</c> runs a program built on
/// it (such as <c>workload-credentials export --format process</c>) which, under the same <c>AWS_PROFILE</c>, resolves that profile again.
/// </summary>
/// <remarks>
/// <para>
/// Every <c>credential_process</c> the library runs gets <see cref="Variable"/> in its environment: the processes running above it, one
/// per line, the one being resolved last. A line is the profile's name (from a section header, so it holds no line break), a tab, and a
/// fingerprint of where the setting is (file and line) and of its command line: the first 16 bytes of their SHA-256, in hex. The command
/// line may carry a secret argument, so it is never written as such. Not a secret.
/// </para>
/// <para>
/// A process that is about to run the very <c>credential_process</c> (the same profile, file, line and command line) found in that
/// variable is a descendant of that process: running it again would start the loop over. A profile of the same name elsewhere (another
/// <c>AWS_CONFIG_FILE</c>, another command line) is another process and runs: skipping it would hand the workload another identity. The profile source then reports itself unavailable with
/// <see cref="Message"/> and the chain goes on (environment, web identity, container, instance metadata), so that the profile's
/// <c>credential_process</c> hands the workload's own chain to the AWS CLI or an SDK.
/// </para>
/// <para>
/// When nothing else resolves either, the program writes that reason on its standard error and exits non-zero. Its parent never quotes
/// a process's standard error (it may hold credentials), but it checks whether it holds <see cref="Reason"/> for the profile it ran,
/// which the parent itself words: then the parent reports the loop too, instead of a bare exit code.
/// </para>
/// </remarks>
internal static class CredentialProcessLoop
{
    /// <summary>The environment variable passed to every <c>credential_process</c>.</summary>
    public const string Variable = "WORKLOAD_CREDENTIALS_PROCESS_PROFILE";

    /// <summary>The most profiles the variable carries (a deeper nesting is cut by its oldest entries).</summary>
    public const int MaxProfiles = 16;

    private const int MaxNameLength = 256;

    /// <summary>Gets whether the <c>credential_process</c> of <paramref name="step"/> runs above this process.</summary>
    public static bool IsRunningAbove(IEnvironment environment, CredentialProcessProfileStep step) =>
        Read(environment).Contains(Entry(step), StringComparer.Ordinal);

    /// <summary>Gets the environment of the <c>credential_process</c> of <paramref name="step"/>: the variable with that process added.</summary>
    public static Dictionary<string, string> ChildEnvironment(IEnvironment environment, CredentialProcessProfileStep step)
    {
        List<string> profiles = Read(environment);
        string entry = Entry(step);
        _ = profiles.Remove(entry);
        profiles.Add(entry);
        if (profiles.Count > MaxProfiles)
        {
            profiles.RemoveRange(0, profiles.Count - MaxProfiles);
        }

        return new Dictionary<string, string>(StringComparer.Ordinal) { [Variable] = string.Join('\n', profiles) };
    }

    /// <summary>The loop, named: <c>credential_process of profile 'P' runs a program that resolves profile 'P' again</c>.</summary>
    public static string Reason(string profileName)
    {
        string name = SafeText.Escape(profileName, MaxNameLength);
        return $"credential_process of profile '{name}' runs a program that resolves profile '{name}' again";
    }

    /// <summary>The reason with its fix, for the profile source's unavailable message.</summary>
    /// <param name="profileName">The profile whose <c>credential_process</c> loops.</param>
    /// <param name="location">Where the setting is (file and line), or empty.</param>
    /// <param name="detected">How the loop was seen: <see langword="true"/> from <see cref="Variable"/>, <see langword="false"/> from the program's report.</param>
    public static string Message(string profileName, string location, bool detected)
    {
        string how = detected
            ? $"({Variable} shows that this process runs under that very credential_process)"
            : "(the program reported the loop and found no other credentials)";
        return $"Profile: {Reason(profileName)}{location} {how}, so the profile is skipped here and the rest of the chain is tried " +
            "(environment keys, web identity, container, instance metadata). To give the workload's own credentials to the AWS CLI or an SDK " +
            "through this credential_process, configure one of those sources; or let the program resolve another profile (--profile, or " +
            "AWS_PROFILE set in the credential_process line).";
    }

    /// <summary>Gets whether a program's standard error reports the loop of <paramref name="profileName"/> (nothing of it is quoted).</summary>
    public static bool ReportedIn(string standardError, string profileName) =>
        standardError.Contains(Reason(profileName), StringComparison.Ordinal);

    /// <summary>The line of <paramref name="step"/> in <see cref="Variable"/>: its profile name, a tab and its fingerprint.</summary>
    public static string Entry(CredentialProcessProfileStep step)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        _ = SHA256.HashData(Encoding.UTF8.GetBytes(step.Location + "\n" + step.CommandLine), hash);
        return step.ProfileName + "\t" + Convert.ToHexString(hash[..16]);
    }

    private static List<string> Read(IEnvironment environment)
    {
        string? value = environment.Get(Variable);
        return string.IsNullOrEmpty(value)
            ? []
            : [.. value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
    }
}
