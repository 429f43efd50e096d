namespace WorkloadCredentials.Profiles.Internal;

/// <summary>A section of one file as written, before its header is interpreted and before merging.</summary>
internal sealed class RawProfileSection
{
    public RawProfileSection(string header, int lineNumber)
    {
        Header = header;
        LineNumber = lineNumber;
    }

    /// <summary>Gets the text between the brackets, trimmed: <c>profile foo</c>, <c>default</c>, <c>sso-session bar</c>.</summary>
    public string Header { get; }

    public int LineNumber { get; }

    public List<RawProfileProperty> Properties { get; } = [];
}
