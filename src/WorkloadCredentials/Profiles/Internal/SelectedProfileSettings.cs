using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Reads one setting of the selected profile (options, then <c>AWS_PROFILE</c>, then <c>default</c>) for sources that take
/// settings from the shared config file too (IMDS endpoint and mode, IMDSv1 switch). Files are read once, on first use; a missing,
/// unreadable or malformed file reads as "no setting" here (the profile source itself reports such files).
/// </summary>
internal static class SelectedProfileSettings
{
    public static Func<string, string?> Create(CredentialSourceContext context)
    {
        var profile = new Lazy<ProfileSection?>(() => Load(context), LazyThreadSafetyMode.ExecutionAndPublication);
        return key => profile.Value?.GetValue(key);
    }

    private static ProfileSection? Load(CredentialSourceContext context)
    {
        try
        {
            ProfileFileLocations locations = ProfileFileLocator.Locate(context.Environment, context.Options.Profile, OperatingSystem.IsWindows());
            string? config = ReadOrNull(locations.ConfigFilePath);
            string? credentials = ReadOrNull(locations.CredentialsFilePath);
            if (config is null && credentials is null)
            {
                return null;
            }

            ProfileSet set = ProfileSet.Parse(config, locations.ConfigFilePath, credentials, locations.CredentialsFilePath);
            return set.Profiles.TryGetValue(locations.ProfileName, out ProfileSection? section) ? section : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ProfileConfigurationException)
        {
            return null;
        }
    }

    private static string? ReadOrNull(string? path) => path is not null && File.Exists(path) ? File.ReadAllText(path) : null;
}
