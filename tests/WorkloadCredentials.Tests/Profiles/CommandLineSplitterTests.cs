using WorkloadCredentials.Profiles.Internal;

namespace WorkloadCredentials.Tests.Profiles;

public sealed class CommandLineSplitterTests
{
    [Theory]
    [InlineData("aws-vault export --format=json dev", new[] { "aws-vault", "export", "--format=json", "dev" })]
    [InlineData("  /usr/bin/helper\t-a  b ", new[] { "/usr/bin/helper", "-a", "b" })]
    [InlineData("echo 'invalid json'", new[] { "echo", "invalid json" })]
    [InlineData("printf '%s' '{\"Version\": 1}'", new[] { "printf", "%s", "{\"Version\": 1}" })]
    [InlineData("helper \"two words\" x\"y\"z", new[] { "helper", "two words", "xyz" })]
    [InlineData("helper a#b c~d", new[] { "helper", "a#b", "c~d" })]
    public void TrySplitPosix_PlainLine_SplitsIntoWords(string line, string[] expected)
    {
        Assert.Equal(expected, CommandLineSplitter.TrySplitPosix(line));
    }

    [Theory]
    [InlineData("echo eyJ9 | base64 --decode")]
    [InlineData("exit 1")]
    [InlineData("helper > /tmp/out")]
    [InlineData("helper $HOME")]
    [InlineData("helper \"$HOME\"")]
    [InlineData("helper `id`")]
    [InlineData("helper *.json")]
    [InlineData("helper ~/x")]
    [InlineData("helper # comment")]
    [InlineData("FOO=bar helper")]
    [InlineData("helper a\\ b")]
    [InlineData("helper 'unterminated")]
    [InlineData("helper; other")]
    [InlineData("a && b")]
    [InlineData("")]
    [InlineData("   ")]
    public void TrySplitPosix_NeedsShell_ReturnsNull(string line)
    {
        Assert.Null(CommandLineSplitter.TrySplitPosix(line));
    }

    [Theory]
    [InlineData("helper.exe --profile dev", "helper.exe", "--profile dev")]
    [InlineData("\"C:\\Program Files\\h\\h.exe\" a \"b c\"", "C:\\Program Files\\h\\h.exe", "a \"b c\"")]
    [InlineData("h", "h", "")]
    public void TrySplitWindows_PlainLine_ProgramAndRest(string line, string program, string arguments)
    {
        Assert.Equal((program, arguments), CommandLineSplitter.TrySplitWindows(line));
    }

    [Theory]
    [InlineData("echo {} ")]
    [InlineData("type creds.json")]
    [InlineData("helper | more")]
    [InlineData("helper %USERPROFILE%")]
    [InlineData("\"unterminated")]
    public void TrySplitWindows_NeedsCmd_ReturnsNull(string line)
    {
        Assert.Null(CommandLineSplitter.TrySplitWindows(line));
    }
}
