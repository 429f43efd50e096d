using System.Globalization;
using System.Text;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Reads one shared config or credentials file into raw sections, to the cross-SDK profile file spec: comments
/// (<c>#</c>, <c>;</c>; after a value only when preceded by white space), continuation lines, sub-properties, CRLF.
/// </summary>
/// <remarks>Messages never quote the offending line: it may hold a secret. They give the file and the line number.</remarks>
internal static class ProfileFileParser
{
    internal static readonly char[] Whitespace = [' ', '\t'];

    private const string ProfileMustEnd = "Profile definition must end with ']'";
    private const string ExpectedProfile = "Expected a profile definition";
    private const string ExpectedPropertyFoundContinuation = "Expected a property definition, found continuation";

    /// <summary>Parses a file's text.</summary>
    /// <param name="text">The file contents.</param>
    /// <param name="filePath">The file, for messages.</param>
    /// <returns>The sections in file order; a header repeated in the file gives two sections.</returns>
    /// <exception cref="ProfileConfigurationException">The text does not follow the format.</exception>
    public static List<RawProfileSection> Parse(string text, string? filePath)
    {
        var sections = new List<RawProfileSection>();
        RawProfileSection? section = null;
        RawProfileProperty? property = null;

        string[] lines = text.Split('\n');
        for (int index = 0; index < lines.Length; index++)
        {
            int lineNumber = index + 1;
            string line = lines[index].TrimEnd('\r');

            if (string.IsNullOrWhiteSpace(line) || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                string content = StripComment(line, commentNeedsWhitespace: false);
                if (content.Length < 2 || content[^1] != ']')
                {
                    throw Error(filePath, lineNumber, ProfileMustEnd);
                }

                section = new RawProfileSection(content[1..^1].Trim(Whitespace), lineNumber);
                sections.Add(section);
                property = null;
            }
            else if (line[0] is ' ' or '\t')
            {
                if (section is null)
                {
                    throw Error(filePath, lineNumber, ExpectedProfile);
                }

                if (property is null)
                {
                    throw Error(filePath, lineNumber, ExpectedPropertyFoundContinuation);
                }

                string continuation = line.Trim(Whitespace);
                if (property.HasSubProperties)
                {
                    _ = SplitProperty(continuation, filePath, lineNumber, "sub-property", "Sub-property");
                }

                property.AppendContinuation(continuation);
            }
            else
            {
                if (section is null)
                {
                    throw Error(filePath, lineNumber, ExpectedProfile);
                }

                (string name, string value) = SplitProperty(line, filePath, lineNumber, "property", "Property");
                property = new RawProfileProperty(name, value, lineNumber);
                section.Properties.Add(property);
            }
        }

        return sections;
    }

    /// <summary>Gets whether a profile or property name uses only the characters the spec allows: ASCII letters, digits, <c>_-/.%@:+</c>.</summary>
    public static bool IsValidIdentifier(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '/' or '.' or '%' or '@' or ':' or '+'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Gets whether a profile or section name is valid: the spec's characters (<see cref="IsValidIdentifier"/>) plus letters, marks
    /// and digits of any script. The AWS CLI (botocore) accepts any section name, so <c>aws configure --profile prodé</c> writes
    /// <c>[profile prodé]</c>; the spec's ASCII-only rule would ignore that section and report "not found, add [profile prodé]".
    /// Punctuation and white space (<c>foo!bar</c>, <c>in valid</c>) are still ignored, as the spec's tests require.
    /// </summary>
    public static bool IsValidProfileName(string name)
    {
        if (IsValidIdentifier(name))
        {
            return true;
        }

        if (name.Length == 0)
        {
            return false;
        }

        foreach (Rune rune in name.EnumerateRunes())
        {
            bool allowed = rune.IsAscii
                ? IsValidIdentifier(rune.ToString())
                : Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                    or UnicodeCategory.DecimalDigitNumber;
            if (!allowed)
            {
                return false;
            }
        }

        return true;
    }

    private static (string Name, string Value) SplitProperty(string line, string? filePath, int lineNumber, string what, string What)
    {
        string content = StripComment(line, commentNeedsWhitespace: true);
        int equals = content.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            throw Error(filePath, lineNumber, $"Expected an '=' sign defining a {what}");
        }

        string name = content[..equals].Trim(Whitespace);
        if (name.Length == 0)
        {
            throw Error(filePath, lineNumber, $"{What} did not have a name");
        }

        return (name, content[(equals + 1)..].Trim(Whitespace));
    }

    /// <summary>Cuts a line at its comment and trims it. In property lines a comment starts only after white space.</summary>
    private static string StripComment(string line, bool commentNeedsWhitespace)
    {
        bool previousIsWhitespace = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c is '#' or ';' && (previousIsWhitespace || !commentNeedsWhitespace))
            {
                return line[..i].Trim(Whitespace);
            }

            previousIsWhitespace = char.IsWhiteSpace(c);
        }

        return line.Trim(Whitespace);
    }

    private static ProfileConfigurationException Error(string? filePath, int lineNumber, string reason) =>
        new(
            ProfileErrorKind.FileFormat,
            $"Profile: could not parse profile file {filePath ?? "(in memory)"} line {lineNumber}: {reason}. Fix the file or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE elsewhere.");
}
