namespace WorkloadCredentials.Profiles.Internal;

/// <summary>One property of a profile (or other section) and where it was defined, so messages can name the file.</summary>
internal sealed class ProfileProperty
{
    public ProfileProperty(string name, string value, string? filePath, int lineNumber)
    {
        Name = name;
        Value = value;
        FilePath = filePath;
        LineNumber = lineNumber;
    }

    /// <summary>Gets the property name, lower case.</summary>
    public string Name { get; }

    /// <summary>Gets the raw value: trimmed, continuation lines joined with <c>\n</c>. May hold a secret: never log it.</summary>
    public string Value { get; }

    /// <summary>Gets the file the property came from, or <see langword="null"/> when it was built in memory.</summary>
    public string? FilePath { get; }

    /// <summary>Gets the 1-based line of the property name, or 0 when it was built in memory.</summary>
    public int LineNumber { get; }

    /// <summary>Gets "in FILE line N", or an empty string when the property was not read from a file.</summary>
    public string Location => FilePath is null ? string.Empty : $" ({FilePath} line {LineNumber})";

    public override string ToString() => $"{Name}{Location}";
}
