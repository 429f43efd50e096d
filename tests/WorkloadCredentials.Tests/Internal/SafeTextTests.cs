using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Tests.Internal;

public sealed class SafeTextTests
{
    [Theory]
    [InlineData("\u001b[2J\u001b[HCredentials OK", "\\u001b[2J\\u001b[HCredentials OK")]
    [InlineData("line1\r\nline2", "line1\\u000d\\u000aline2")]
    [InlineData("nul\0here", "nul\\u0000here")]
    [InlineData("del\u007f c1\u009b", "del\\u007f c1\\u009b")]
    [InlineData("bidi\u202eevil", "bidi\\u202eevil")]
    [InlineData("zero\u200bwidth", "zero\\u200bwidth")]
    [InlineData("line\u2028sep", "line\\u2028sep")]
    public void Escape_UnsafeCharacters_WrittenAsEscapes(string input, string expected)
    {
        Assert.Equal(expected, SafeText.Escape(input));
    }

    [Theory]
    [InlineData("AccessDenied: not authorized")]
    [InlineData("prodé profile, ünïcode and 日本語")]
    [InlineData("emoji \ud83d\ude00 stays")]
    public void Escape_PrintableText_Unchanged(string input)
    {
        Assert.Same(input, SafeText.Escape(input));
    }

    [Fact]
    public void Escape_LoneSurrogate_Escaped()
    {
        string input = "lone" + (char)0xD800 + "surrogate";

        Assert.Equal("lone\\ud800surrogate", SafeText.Escape(input));
    }

    [Fact]
    public void Escape_LongText_CutWithEllipsis()
    {
        string escaped = SafeText.Escape(new string('a', 1000), maxLength: 10);

        Assert.Equal("aaaaaaaaaa...", escaped);
    }

    [Fact]
    public void Escape_CutInsideSurrogatePair_EscapesTheHalf()
    {
        string escaped = SafeText.Escape("abc\ud83d\ude00", maxLength: 4);

        Assert.Equal("abc\\ud83d...", escaped);
    }

    [Fact]
    public void Escape_NullOrEmpty_Empty()
    {
        Assert.Equal(string.Empty, SafeText.Escape(null));
        Assert.Equal(string.Empty, SafeText.Escape(string.Empty));
    }
}
