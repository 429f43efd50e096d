using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Finds a <c>credential_process</c> that loops back into this library: a profile whose <c>credential_process</c> runs a program built on
/// it (such as <c>workload-credentials export --format process</c>) which, under the same <c>AWS_PROFILE</c>, resolves that profile again.
/// </summary>
/// <remarks>
/// <para>
/// Every <c>credential_process</c> the library runs gets <see cref="Variable"/> in its environment: the profiles whose process is running
/// above it, one per line (the names come from section headers, so they hold no line break), the one being resolved last. Not a secret.
/// </para>
/// <para>
/// A process that finds the profile it is about to resolve through a <c>credential_process</c> in that variable is a descendant of that
/// very process: running it again would start the loop over. The profile source then reports itself unavailable with
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

    /// <summary>Gets whether a <c>credential_process</c> of <paramref name="profileName"/> runs above this process.</summary>
    public static bool IsRunningAbove(IEnvironment environment, string profileName) =>
        Read(environment).Contains(profileName, StringComparer.Ordinal);

    /// <summary>Gets the environment of a <c>credential_process</c> of <paramref name="profileName"/>: the variable with that profile added.</summary>
    public static Dictionary<string, string> ChildEnvironment(IEnvironment environment, string profileName)
    {
        List<string> profiles = Read(environment);
        _ = profiles.Remove(profileName);
        profiles.Add(profileName);
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

    private static List<string> Read(IEnvironment environment)
    {
        string? value = environment.Get(Variable);
        return string.IsNullOrEmpty(value)
            ? []
            : [.. value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
    }
}
