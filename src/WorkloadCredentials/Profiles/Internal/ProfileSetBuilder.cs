namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Merges parsed files into a <see cref="ProfileSet"/> the way the cross-SDK spec says: the config file needs
/// <c>[profile name]</c> (only <c>[default]</c> may go without the prefix, and <c>[profile default]</c> hides it),
/// the credentials file forbids the prefix, invalid names are ignored (names may use letters of any script, as in the AWS CLI), repeated sections merge, the last value wins,
/// and the credentials file wins over the config file.
/// </summary>
internal sealed class ProfileSetBuilder
{
    private const string ProfilePrefix = "profile";
    private const string SsoSessionPrefix = "sso-session";
    private const string ServicesPrefix = "services";

    private readonly Dictionary<string, ProfileSection> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProfileSection> _ssoSessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProfileSection> _services = new(StringComparer.Ordinal);

    public void Merge(List<RawProfileSection> sections, ProfileFileKind kind, string? filePath = null)
    {
        var valid = new List<(string? Prefix, string Name, RawProfileSection Section)>();
        foreach (RawProfileSection section in sections)
        {
            (string? prefix, string name) = SplitHeader(section.Header);
            if (IsValid(prefix, name, kind))
            {
                valid.Add((prefix, name, section));
            }
        }

        bool hasPrefixedDefault = valid.Exists(s => s.Prefix == ProfilePrefix && s.Name == ProfileConstants.DefaultProfileName);
        foreach ((string? prefix, string name, RawProfileSection section) in valid)
        {
            Dictionary<string, ProfileSection>? target = prefix switch
            {
                null when hasPrefixedDefault && kind == ProfileFileKind.Config => null,
                null or ProfilePrefix => _profiles,
                SsoSessionPrefix => _ssoSessions,
                ServicesPrefix => _services,
                _ => null,
            };

            if (target is null)
            {
                continue;
            }

            if (!target.TryGetValue(name, out ProfileSection? merged))
            {
                merged = new ProfileSection(name);
                target.Add(name, merged);
            }

            foreach (RawProfileProperty property in section.Properties)
            {
                if (ProfileFileParser.IsValidIdentifier(property.Name))
                {
                    merged.Set(new ProfileProperty(property.Name.ToLowerInvariant(), property.Value, filePath, property.LineNumber));
                }
            }
        }
    }

    public ProfileSet Build(string? configFilePath, string? credentialsFilePath) =>
        new(_profiles, _ssoSessions, _services, configFilePath, credentialsFilePath);

    private static (string? Prefix, string Name) SplitHeader(string header)
    {
        int space = header.IndexOfAny(ProfileFileParser.Whitespace);
        return space < 0
            ? (null, header)
            : (header[..space].Trim(ProfileFileParser.Whitespace), header[(space + 1)..].Trim(ProfileFileParser.Whitespace));
    }

    private static bool IsValid(string? prefix, string name, ProfileFileKind kind) =>
        kind switch
        {
            // [default] is the only config section without a prefix; a prefixed one needs a valid name.
            ProfileFileKind.Config => prefix is null ? name == ProfileConstants.DefaultProfileName : ProfileFileParser.IsValidProfileName(name),

            // Credentials sections never have a prefix ([profile foo] there is ignored, as are [sso-session x] and [services y]).
            _ => prefix is null && ProfileFileParser.IsValidProfileName(name),
        };
}
