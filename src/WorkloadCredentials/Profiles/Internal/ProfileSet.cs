namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// The merged contents of the shared config and credentials files: profiles, <c>[sso-session]</c> and <c>[services]</c> sections.
/// </summary>
internal sealed class ProfileSet
{
    public ProfileSet(
        IReadOnlyDictionary<string, ProfileSection> profiles,
        IReadOnlyDictionary<string, ProfileSection> ssoSessions,
        IReadOnlyDictionary<string, ProfileSection> services,
        string? configFilePath = null,
        string? credentialsFilePath = null)
    {
        Profiles = profiles;
        SsoSessions = ssoSessions;
        Services = services;
        ConfigFilePath = configFilePath;
        CredentialsFilePath = credentialsFilePath;
    }

    public static ProfileSet Empty { get; } = new(
        new Dictionary<string, ProfileSection>(StringComparer.Ordinal),
        new Dictionary<string, ProfileSection>(StringComparer.Ordinal),
        new Dictionary<string, ProfileSection>(StringComparer.Ordinal));

    /// <summary>Gets the profiles by name (case-sensitive).</summary>
    public IReadOnlyDictionary<string, ProfileSection> Profiles { get; }

    /// <summary>Gets the <c>[sso-session name]</c> sections of the config file.</summary>
    public IReadOnlyDictionary<string, ProfileSection> SsoSessions { get; }

    /// <summary>Gets the <c>[services name]</c> sections of the config file.</summary>
    public IReadOnlyDictionary<string, ProfileSection> Services { get; }

    /// <summary>Gets the config file that was looked at, where known.</summary>
    public string? ConfigFilePath { get; }

    /// <summary>Gets the credentials file that was looked at, where known.</summary>
    public string? CredentialsFilePath { get; }

    /// <summary>Gets "CONFIG or CREDENTIALS" for messages about a profile that is not there.</summary>
    public string DescribeFiles() =>
        (ConfigFilePath, CredentialsFilePath) switch
        {
            (null, null) => "the shared config files",
            ({ } config, null) => config,
            (null, { } credentials) => credentials,
            ({ } config, { } credentials) => $"{config} or {credentials}",
        };

    /// <summary>Parses and merges the two files. Properties in the credentials file win over the config file.</summary>
    /// <exception cref="ProfileConfigurationException">A file is malformed.</exception>
    public static ProfileSet Parse(string? configText, string? configFilePath, string? credentialsText, string? credentialsFilePath)
    {
        var builder = new ProfileSetBuilder();
        if (configText is not null)
        {
            builder.Merge(ProfileFileParser.Parse(configText, configFilePath), ProfileFileKind.Config, configFilePath);
        }

        if (credentialsText is not null)
        {
            builder.Merge(ProfileFileParser.Parse(credentialsText, credentialsFilePath), ProfileFileKind.Credentials, credentialsFilePath);
        }

        return builder.Build(configFilePath, credentialsFilePath);
    }
}
