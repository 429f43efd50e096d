using System.Text;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>A property of one file as written; continuation lines are appended to its value.</summary>
internal sealed class RawProfileProperty
{
    private readonly StringBuilder _value;

    public RawProfileProperty(string name, string value, int lineNumber)
    {
        Name = name;
        _value = new StringBuilder(value);
        LineNumber = lineNumber;
        HasSubProperties = value.Length == 0;
    }

    public string Name { get; }

    public int LineNumber { get; }

    /// <summary>Gets whether the value was empty on the name's line, so continuation lines are <c>name = value</c> sub-properties.</summary>
    public bool HasSubProperties { get; }

    public string Value => _value.ToString();

    public void AppendContinuation(string line) => _value.Append('\n').Append(line);
}
