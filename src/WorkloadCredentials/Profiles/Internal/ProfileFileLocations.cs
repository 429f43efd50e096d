namespace WorkloadCredentials.Profiles.Internal;

/// <summary>The two shared files to read and the profile to select.</summary>
internal sealed class ProfileFileLocations
{
    public ProfileFileLocations(string? configFilePath, string? credentialsFilePath, string profileName, ProfileNameOrigin profileNameOrigin)
    {
        ConfigFilePath = configFilePath;
        CredentialsFilePath = credentialsFilePath;
        ProfileName = profileName;
        ProfileNameOrigin = profileNameOrigin;
    }

    /// <summary>Gets the config file, or <see langword="null"/> when neither <c>AWS_CONFIG_FILE</c> nor a home directory is known.</summary>
    public string? ConfigFilePath { get; }

    /// <summary>Gets the credentials file, or <see langword="null"/> when neither <c>AWS_SHARED_CREDENTIALS_FILE</c> nor a home directory is known.</summary>
    public string? CredentialsFilePath { get; }

    public string ProfileName { get; }

    public ProfileNameOrigin ProfileNameOrigin { get; }

    /// <summary>Gets how the profile was named, for messages: "AWS_PROFILE", "WorkloadCredentialsOptions.Profile" or "the default".</summary>
    public string DescribeProfileNameOrigin() =>
        ProfileNameOrigin switch
        {
            ProfileNameOrigin.Options => "named by WorkloadCredentialsOptions.Profile",
            ProfileNameOrigin.Environment => "named by AWS_PROFILE",
            _ => "the default profile",
        };
}
