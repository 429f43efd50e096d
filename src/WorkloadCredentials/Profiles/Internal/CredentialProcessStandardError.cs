using System.Text.RegularExpressions;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// What of a failed <c>credential_process</c>'s standard error may be shown, and only in a Debug record: it never reaches a message.
/// A program may print credentials there (a helper that dumps its state) or terminal control sequences, so the excerpt is cut to
/// <see cref="MaxLength"/> characters, every run of 16 or more key-like characters (letters, digits, <c>/+=_-</c>, with at least one
/// digit or <c>/+=</c>: access key ids, secrets, tokens) is replaced by <c>***</c>, and control characters are escaped.
/// </summary>
internal static partial class CredentialProcessStandardError
{
    /// <summary>The longest excerpt logged.</summary>
    public const int MaxLength = 512;

    public static string Excerpt(string standardError)
    {
        string text = standardError.Trim();
        if (text.Length == 0)
        {
            return "(empty)";
        }

        // Cut before masking so a key cut in half is still a long run; the masking then cannot be defeated by the cut.
        string cut = text.Length > MaxLength * 2 ? text[..(MaxLength * 2)] : text;
        return SafeText.Escape(KeyLike().Replace(cut, "***"), MaxLength);
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9/+=_\-])(?=[A-Za-z0-9/+=_\-]*[0-9/+=])[A-Za-z0-9/+=_\-]{16,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex KeyLike();
}
