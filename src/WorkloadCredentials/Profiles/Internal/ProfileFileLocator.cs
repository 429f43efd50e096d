using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Finds <c>~/.aws/config</c> and <c>~/.aws/credentials</c> and the profile name, as the SDKs do:
/// <c>AWS_CONFIG_FILE</c> / <c>AWS_SHARED_CREDENTIALS_FILE</c> (with <c>~</c> expanded) else the home directory
/// (<c>HOME</c>; on Windows then <c>USERPROFILE</c>, then <c>HOMEDRIVE</c>+<c>HOMEPATH</c>); the profile is
/// <c>WorkloadCredentialsOptions.Profile</c>, then <c>AWS_PROFILE</c>, then <c>default</c>.
/// </summary>
/// <remarks>
/// Everything is read through <see cref="IEnvironment"/>: when no variable gives a home directory the default files are
/// simply not looked for (no fallback to the operating system's user database, so tests never see a developer's real files).
/// </remarks>
internal static class ProfileFileLocator
{
    public static ProfileFileLocations Locate(IEnvironment environment, string? optionsProfile, bool isWindows)
    {
        string? home = GetHomeDirectory(environment, isWindows);
        char separator = isWindows ? '\\' : '/';

        string? config = Expand(environment.GetNonBlank(ProfileConstants.ConfigFileEnvironmentVariable), home, isWindows)
            ?? Combine(home, separator, "config");
        string? credentials = Expand(environment.GetNonBlank(ProfileConstants.CredentialsFileEnvironmentVariable), home, isWindows)
            ?? Combine(home, separator, "credentials");

        (string name, ProfileNameOrigin origin) = !string.IsNullOrWhiteSpace(optionsProfile)
            ? (optionsProfile.Trim(), ProfileNameOrigin.Options)
            : environment.GetNonBlank(ProfileConstants.ProfileEnvironmentVariable) is { } fromEnvironment
                ? (fromEnvironment, ProfileNameOrigin.Environment)
                : (ProfileConstants.DefaultProfileName, ProfileNameOrigin.Default);

        return new ProfileFileLocations(config, credentials, name, origin);
    }

    public static string? GetHomeDirectory(IEnvironment environment, bool isWindows)
    {
        if (environment.GetNonBlank("HOME") is { } home)
        {
            return home;
        }

        if (!isWindows)
        {
            return null;
        }

        if (environment.GetNonBlank("USERPROFILE") is { } userProfile)
        {
            return userProfile;
        }

        return environment.GetNonBlank("HOMEDRIVE") is { } drive && environment.GetNonBlank("HOMEPATH") is { } path ? drive + path : null;
    }

    /// <summary>Expands a leading <c>~</c> (alone, or followed by <c>/</c>, or by <c>\</c> on Windows) to the home directory.</summary>
    public static string? Expand(string? path, string? home, bool isWindows)
    {
        if (path is null || home is null || path.Length == 0 || path[0] != '~')
        {
            return path;
        }

        if (path.Length == 1)
        {
            return home;
        }

        return path[1] == '/' || (isWindows && path[1] == '\\')
            ? home.TrimEnd('/', '\\') + path[1..]
            : path;
    }

    private static string? Combine(string? home, char separator, string fileName) =>
        home is null ? null : $"{home.TrimEnd('/', '\\')}{separator}.aws{separator}{fileName}";
}
