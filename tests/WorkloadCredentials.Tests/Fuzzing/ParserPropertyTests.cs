using System.Text;
using CsCheck;
using WorkloadCredentials.Tests.Fuzzing.Invariants;

namespace WorkloadCredentials.Tests.Fuzzing;

/// <summary>
/// Property-based tests (CsCheck) of the parsers the fuzz targets cover, with the same invariants (Invariants/), a bounded number of
/// cases each so that they run in every test run. Inputs are built from the pieces the formats are made of, plus hostile characters.
/// </summary>
public sealed class ParserPropertyTests
{
    /// <summary>Cases per property: enough to meet every piece in many orders, about a second each.</summary>
    private const long Cases = 2000;

    /// <summary>Characters that break naive parsers or messages: controls, NUL, bidi override, zero width, a lone surrogate, U+FFFD.</summary>
    private const string Hostile = "\0\u0001\u001b\u007f\u0085\u202e\u200b\ud800\ufffd\t\r\n \"'\\";

    private static readonly Gen<string> HostileText = Gen.Char[Hostile + "aZ09+/=*#;[]"].Array[0, 12].Select(static c => new string(c));

    /// <summary>JSON escapes written as such: an escaped lone surrogate is valid JSON syntax that no string can hold.</summary>
    private static readonly Gen<string> JsonEscape = Gen.OneOf(Gen.Const(""), Gen.Const(@"\ud800"), Gen.Const(@"\udc00x"), Gen.Const(@"\u0000"), Gen.Const(@"\u202e"), Gen.Const(@"\\"));

    private static readonly Gen<string> SecretLike = Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="].Array[16, 48].Select(static c => new string(c));

    [Fact]
    public void ProfileFile_ParsesOrFailsWithoutQuotingAnyLine()
    {
        Gen<string> line = Gen.OneOf(
            Gen.OneOf(Gen.Const("[default]"), Gen.Const("[profile dev]"), Gen.Const("[ profile  x ] # c"), Gen.Const("[sso-session s]"), Gen.Const("[default"), Gen.Const("[]")),
            Gen.Select(Gen.OneOf(Gen.Const("region"), Gen.Const("s3"), Gen.Const("aws_secret_access_key"), Gen.Const(""), Gen.Const("a b")), SecretLike, static (k, v) => $"{k} = {v}"),
            Gen.Select(SecretLike, HostileText, static (v, h) => $"  sub{h} = {v}"),
            Gen.Select(HostileText, SecretLike, static (h, v) => h + v),
            Gen.OneOf(Gen.Const(""), Gen.Const("# comment"), Gen.Const("; comment"), Gen.Const("key ;not a comment"), Gen.Const("="), Gen.Const("\t"), Gen.Const("\r")));
        Gen<string> file = line.Array[0, 14].Select(static lines => string.Join('\n', lines));

        file.Sample(ParserInvariants.ProfileFile, iter: Cases);
    }

    [Fact]
    public void CommandLine_RunsWhatTheLineSays()
    {
        Gen<string> word = Gen.OneOf(
            Gen.OneOf(Gen.Const("/usr/bin/helper"), Gen.Const("helper.exe"), Gen.Const("--profile"), Gen.Const("a=b"), Gen.Const("cd"), Gen.Const("~/x"), Gen.Const("#c")),
            SecretLike.Select(static s => $"'{s} x'"),
            HostileText.Select(static s => $"\"{s}\""),
            HostileText,
            Gen.OneOf(Gen.Const("|"), Gen.Const("$HOME"), Gen.Const("`x`"), Gen.Const("&&"), Gen.Const("'"), Gen.Const("\""), Gen.Const("%PATH%"), Gen.Const("^")));
        Gen<string> commandLine = Gen.Select(word.Array[1, 6], Gen.OneOf(Gen.Const(" "), Gen.Const("\t"), Gen.Const("")), static (words, separator) => string.Join(separator, words));

        commandLine.Sample(ParserInvariants.CommandLine, iter: Cases);
    }

    [Fact]
    public void ProcessOutput_ParsesExactlyItsValuesOrQuotesNoSecret()
    {
        Gen<string> member = Gen.OneOf(
            Gen.Select(Gen.OneOf(Gen.Const("AccessKeyId"), Gen.Const("SecretAccessKey"), Gen.Const("SessionToken"), Gen.Const("AccountId")), SecretLike, HostileText, JsonEscape, Value),
            Gen.OneOf(Gen.Const("\"Version\":1"), Gen.Const("\"Version\":2"), Gen.Const("\"Version\":\"1\""), Gen.Const("\"Version\":1e400"), Gen.Const("\"Version\":null")),
            Gen.Select(Gen.OneOf(Gen.Const("2030-01-01T00:00:00Z"), Gen.Const("2001-01-01T00:00:00Z"), Gen.Const("yesterday"), Gen.Const("")), HostileText, static (e, h) => $"\"Expiration\":\"{Json(e + h)}\""));

        JsonObject(member).Sample(ParserInvariants.ProcessOutput, iter: Cases);
    }

    [Fact]
    public void CredentialsDocument_ParsesExactlyItsValuesOrQuotesNoSecret()
    {
        Gen<string> member = Gen.OneOf(
            Gen.Select(Gen.OneOf(Gen.Const("AccessKeyId"), Gen.Const("SecretAccessKey"), Gen.Const("Token"), Gen.Const("AccountId"), Gen.Const("RoleArn"), Gen.Const("Code")), SecretLike, HostileText, JsonEscape, Value),
            Gen.Select(Gen.OneOf(Gen.Const("2030-01-01T00:00:00Z"), Gen.Const("not a date"), Gen.Const("")), HostileText, static (e, h) => $"\"Expiration\":\"{Json(e + h)}\""),
            Gen.OneOf(Gen.Const("\"Token\":null"), Gen.Const("\"AccessKeyId\":7"), Gen.Const("\"x\":[[[[{}]]]]")));

        JsonObject(member).Sample(ParserInvariants.CredentialsDocument, iter: Cases);
    }

    [Fact]
    public void ContainerErrorBody_QuotesNoTokenAndNoControlCharacter()
    {
        Gen<string> token = Gen.OneOf(SecretLike, Gen.Select(SecretLike, Gen.Char["*-_.~"], static (s, c) => $"{s[..4]}{c}{c}{c}{s[4..]}"));
        Gen<(string Token, string Body)> input = token.SelectMany(t => Gen.Select(
            Gen.OneOf(Gen.Const("code"), Gen.Const("Code"), Gen.Const("message"), Gen.Const("Message")).Array[1, 3],
            Gen.OneOf(Gen.Const(t), Gen.Const(t[2..14]), Gen.Const(t[..^1]), HostileText, SecretLike).Array[1, 4],
            (names, parts) => (t, "{" + string.Join(',', names.Select((n, i) => $"\"{n}\":\"{Json(string.Concat(parts.Skip(i)))}\"")) + "}")));

        input.Sample(static (t, body) => TextInvariants.ContainerErrorBody(body, t), iter: Cases);
    }

    [Fact]
    public void SafeText_OutputIsPrintableBoundedAndIdempotent()
    {
        Gen.Select(Gen.String, HostileText, Gen.Int[0, 80]).Sample(static (a, b, max) => TextInvariants.Escape(a + b, max), iter: Cases);
    }

    [Fact]
    public void SecretMasker_LeavesNoSecretNorFragment()
    {
        Gen<string> secret = Gen.OneOf(SecretLike, Gen.Char["ab*"].Array[4, 8].Select(static c => new string(c)));
        Gen<(string Secret, string Text)> input = secret.SelectMany(s => Gen.OneOf(
            Gen.Const(s), Gen.Const(s[1..]), Gen.Const(s[..^1]), Gen.Const("***"), Gen.Const("*"), Gen.Const(s[..(s.Length / 2)]), Gen.Const(s[(s.Length / 2)..]), HostileText)
            .Array[0, 8].Select(parts => (s, string.Concat(parts))));

        input.Sample(static (s, text) => TextInvariants.Mask(text, [s]), iter: Cases);
    }

    [Fact]
    public async Task StsAnswer_EndsInCredentialsOrACleanMessage()
    {
        string token = StsAnswerInvariants.WebIdentityToken;
        Gen<string> text = Gen.OneOf(Gen.Const(token), Gen.Const(token[5..30]), HostileText, SecretLike, Gen.Const("<![CDATA[x]]>"), Gen.Const("&amp;"), Gen.Const("&#0;"));
        Gen<string> element = Gen.Select(Gen.OneOf(Gen.Const("Code"), Gen.Const("Message"), Gen.Const("Type"), Gen.Const("RequestId")), text.Array[0, 3], static (n, t) => $"<{n}>{string.Concat(t)}</{n}>");
        Gen<string> code = Gen.OneOf(Gen.Const("AccessDenied"), Gen.Const("InvalidIdentityToken"), Gen.Const("Throttling"), Gen.Const("ExpiredTokenException"), text);
        Gen<string> body = Gen.OneOf(
            Gen.Select(code, element.Array[0, 4], static (c, e) => $"<ErrorResponse><Error><Code>{c}</Code>{string.Concat(e)}</Error></ErrorResponse>"),
            text.Array[0, 4].Select(static t => string.Concat(t)));
        Gen<int> status = Gen.OneOf(StsAnswerInvariants.Statuses.Select(Gen.Const).ToArray());

        // One at a time: the answering handler is shared.
        await Gen.Select(status, body).SampleAsync(static (s, b) => StsAnswerInvariants.AnswerAsync(s, Encoding.UTF8.GetBytes(b)).AsTask(), iter: 400, threads: 1);
    }

    private static string Value(string name, string secret, string hostile, string escape) => $"\"{name}\":\"{Json(secret + hostile)}{escape}\"";

    private static Gen<string> JsonObject(Gen<string> member) =>
        Gen.Select(member.Array[0, 7], Gen.OneOf(Gen.Const(""), Gen.Const("}"), Gen.Const(",}"), Gen.Const("  ")), static (members, tail) => "{" + string.Join(',', members) + "}" + tail);

    /// <summary>A JSON string body: quotes, backslashes and controls escaped (a lone surrogate stays, as a hostile writer could send it).</summary>
    private static string Json(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            _ = c is '"' or '\\' ? builder.Append('\\').Append(c) : c < ' ' ? builder.Append($"\\u{(int)c:x4}") : builder.Append(c);
        }

        return builder.ToString();
    }
}
