using System.Text;

namespace WorkloadCredentials.Tests.Fuzzing.Invariants;

/// <summary>
/// The fuzz targets by name: each turns the fuzzer's bytes into the parser's input and checks its invariants. The fuzz project runs
/// them under afl-fuzz; the regression tests replay the inputs it found.
/// </summary>
internal static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["profile"] = static data => ParserInvariants.ProfileFile(Text(data)),
        ["cmdline"] = static data => ParserInvariants.CommandLine(Text(data)),
        ["process-output"] = static data => ParserInvariants.ProcessOutput(Text(data)),
        ["imds-json"] = static data => ParserInvariants.CredentialsDocument(Text(data)),
        ["container-json"] = static data =>
        {
            (string token, string body) = FirstLine(Text(data));
            TextInvariants.ContainerErrorBody(body, token.Length == 0 ? null : token);
        },
        ["sts-error"] = static data => StsAnswerInvariants.Answer(
            data.Length == 0 ? 400 : StsAnswerInvariants.Statuses[data[0] % StsAnswerInvariants.Statuses.Length],
            data.Length == 0 ? [] : data[1..]),
        ["safetext"] = static data => TextInvariants.Escape(Text(data), data.Length == 0 ? 0 : 1 + (data[0] % 64)),
        ["masker"] = static data =>
        {
            (string first, string rest) = FirstLine(Text(data));
            (string second, string text) = FirstLine(rest);
            TextInvariants.Mask(text, [first, second.Length == 0 ? null : second]);
        },
    };

    /// <summary>UTF-8 with replacement characters, as the library's readers decode (the strict ones refuse what this replaces).</summary>
    public static string Text(byte[] data) => Encoding.UTF8.GetString(data);

    private static (string First, string Remainder) FirstLine(string text)
    {
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? (text, string.Empty) : (text[..newline], text[(newline + 1)..]);
    }
}
