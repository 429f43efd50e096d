using System.Globalization;
using System.Text;

namespace WorkloadCredentials.Internal;

/// <summary>
/// Makes text from the environment (a server's error code or message, a child process's stderr, an access key prefix) safe to put in
/// a message, a log record or a terminal: control characters (C0, DEL, C1), Unicode format characters (bidirectional overrides,
/// zero-width characters) and unpaired surrogates are written as <c>\uXXXX</c>, and the text is cut to a length.
/// </summary>
internal static class SafeText
{
    /// <summary>The longest text from the environment a message quotes.</summary>
    public const int DefaultMaxLength = 256;

    /// <summary>Escapes <paramref name="value"/> and cuts it to <paramref name="maxLength"/> characters (plus "...").</summary>
    public static string Escape(string? value, int maxLength = DefaultMaxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        bool cut = value.Length > maxLength;
        ReadOnlySpan<char> span = cut ? value.AsSpan(0, maxLength) : value.AsSpan();
        if (!NeedsEscaping(span))
        {
            return cut ? string.Concat(span, "...") : value;
        }

        var builder = new StringBuilder(span.Length + 16);
        for (int i = 0; i < span.Length; i++)
        {
            char c = span[i];
            bool pairedSurrogate = char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]);
            if (pairedSurrogate)
            {
                builder.Append(c).Append(span[i + 1]);
                i++;
            }
            else if (IsUnsafe(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return cut ? builder.Append("...").ToString() : builder.ToString();
    }

    /// <summary>Whether <paramref name="c"/> is written escaped: a control, format, surrogate or unassigned/private character.</summary>
    public static bool IsUnsafe(char c) => char.GetUnicodeCategory(c) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static bool NeedsEscaping(ReadOnlySpan<char> span)
    {
        foreach (char c in span)
        {
            if (c < 0x20 || c >= 0x7f)
            {
                // Rare: fall back to the exact check.
                for (int i = 0; i < span.Length; i++)
                {
                    char d = span[i];
                    if (char.IsHighSurrogate(d) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
                    {
                        i++;
                        continue;
                    }

                    if (IsUnsafe(d))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        return false;
    }
}
