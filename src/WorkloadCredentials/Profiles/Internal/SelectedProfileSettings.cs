using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Reads one setting of the selected profile (options, then <c>AWS_PROFILE</c>, then <c>default</c>) for sources that take
/// settings from the shared config file too (IMDS endpoint and mode, IMDSv1 switch). Files are read once, on first use, through the
/// bounded <see cref="ProfileFileReader"/>; a missing,
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
            ProfileSet set = ProfileFileReader.Read(locations);
            return set.Profiles.TryGetValue(locations.ProfileName, out ProfileSection? section) ? section : null;
        }
        catch (ProfileConfigurationException)
        {
            return null;
        }
    }
}
