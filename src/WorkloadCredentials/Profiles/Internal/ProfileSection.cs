namespace WorkloadCredentials.Profiles.Internal;

/// <summary>A named section after both files were merged: a profile, an <c>sso-session</c> or a <c>services</c> section.</summary>
internal sealed class ProfileSection
{
    private readonly Dictionary<string, ProfileProperty> _properties = new(StringComparer.OrdinalIgnoreCase);

    public ProfileSection(string name)
    {
        Name = name;
    }

    /// <summary>Gets the section name as written (case-sensitive), without its <c>profile</c> prefix.</summary>
    public string Name { get; }

    /// <summary>Gets the properties by lower-case name.</summary>
    public IReadOnlyDictionary<string, ProfileProperty> Properties => _properties;

    /// <summary>Gets a property's raw value, or <see langword="null"/> when it is absent.</summary>
    public string? Get(string name) => _properties.TryGetValue(name, out ProfileProperty? property) ? property.Value : null;

    /// <summary>Gets a property, or <see langword="null"/> when it is absent or blank (blank counts as unset).</summary>
    public ProfileProperty? GetNonBlank(string name) =>
        _properties.TryGetValue(name, out ProfileProperty? property) && !string.IsNullOrWhiteSpace(property.Value) ? property : null;

    /// <summary>Gets a property's value, or <see langword="null"/> when it is absent or blank.</summary>
    public string? GetValue(string name) => GetNonBlank(name)?.Value;

    /// <summary>Gets whether a property is set to <c>true</c> (any casing).</summary>
    public bool GetFlag(string name) => string.Equals(GetValue(name)?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets where the section was defined, for messages: the files of its properties, or "(empty)".</summary>
    public string DescribeFiles()
    {
        var files = new List<string>();
        foreach (ProfileProperty property in _properties.Values)
        {
            if (property.FilePath is { } file && !files.Contains(file))
            {
                files.Add(file);
            }
        }

        return files.Count == 0 ? "the shared config files" : string.Join(" and ", files);
    }

    /// <summary>Sets a property; a later definition replaces an earlier one (the last one wins, across files too).</summary>
    public void Set(ProfileProperty property) => _properties[property.Name] = property;

    /// <summary>
    /// Reads the sub-properties of a property whose value started on the next line
    /// (<c>s3 =\n  endpoint_url = https://...</c>): one <c>name = value</c> per line, names lower case.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseSubProperties(string value)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in value.Split('\n'))
        {
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            string name = line[..equals].Trim(ProfileFileParser.Whitespace);
            if (name.Length > 0 && ProfileFileParser.IsValidIdentifier(name))
            {
                result[name.ToLowerInvariant()] = line[(equals + 1)..].Trim(ProfileFileParser.Whitespace);
            }
        }

        return result;
    }
}
