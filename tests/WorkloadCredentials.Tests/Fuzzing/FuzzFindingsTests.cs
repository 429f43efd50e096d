using WorkloadCredentials.Container;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Sts.Internal;
using WorkloadCredentials.Tests.Fuzzing.Invariants;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Profiles;

namespace WorkloadCredentials.Tests.Fuzzing;

/// <summary>
/// One regression test per finding of the fuzzers (afl-fuzz through SharpFuzz, fuzz/README.md) and of the property tests, and a
/// replay of the committed seed corpus (which holds the inputs afl-fuzz saved as crashes) through the fuzz targets' invariants.
/// </summary>
public sealed class FuzzFindingsTests
{
    public static TheoryData<string, string> CorpusFiles()
    {
        var data = new TheoryData<string, string>();
        string corpus = Path.Combine(RepositoryRoot.Require(), "fuzz", "corpus");
        foreach (string directory in Directory.GetDirectories(corpus).Order(StringComparer.Ordinal))
        {
            foreach (string file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(directory), Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Corpus_EveryInput_KeepsTheTargetsInvariants(string target, string file)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(RepositoryRoot.Require(), "fuzz", "corpus", target, file));

        FuzzTargets.All[target](input);
    }

    [Fact]
    public void Corpus_HasEveryTarget()
    {
        string[] directories = Directory.GetDirectories(Path.Combine(RepositoryRoot.Require(), "fuzz", "corpus")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

        Assert.Equal(FuzzTargets.All.Keys.Order(StringComparer.Ordinal), directories);
    }

    // afl-fuzz, cmdline: a NUL inside a word went to the program as an argument cut at the NUL (a different command than the line's).
    [Theory]
    [InlineData("/usr/bin/helper --role a\0b")]
    [InlineData("helper\0 --profile dev")]
    [InlineData("echo x | helper '\0'")]
    public void CreateStartInfo_NulCharacter_RefusedWithoutQuotingTheLine(string commandLine)
    {
        foreach (bool windows in (bool[])[false, true])
        {
            var runner = new CredentialProcessRunner(TimeProvider.System, windows);

            var ex = Assert.Throws<CredentialProcessException>(() => runner.CreateStartInfo(commandLine));

            Assert.Equal("the command line holds a NUL character (U+0000), which no program can receive; remove it from the credential_process setting", ex.Message);
            Assert.False(ex.IsRecoverable);
        }
    }

    [Fact]
    public async Task GetCredentialsAsync_CredentialProcessWithNul_FailsNamingProfileAndSetting()
    {
        using var files = new ProfileFiles(config: "[default]\ncredential_process = printf '%s' 'a\0b'\n");
        var context = NetworkSafety.Guarded(
            new WorkloadCredentialsOptions(),
            new DictionaryEnvironment(new Dictionary<string, string> { ["HOME"] = files.Home }),
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var source = new ProfileCredentialSource(context, new FakeProfileStepFactory(), isWindows: false, processTimeout: TimeSpan.FromSeconds(5));

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            $"Profile: the credential_process of profile 'default' ({files.ConfigPath} line 2) failed: the command line holds a NUL character (U+0000), which no program can receive; remove it from the credential_process setting. Run the command by hand to see what it prints.",
            ex.Message);
        Assert.False(ex.IsRecoverable);
    }

    // CsCheck, cmdline: "" split into an empty program name, which no process can start; the shell now reports it.
    [Theory]
    [InlineData("\"\"")]
    [InlineData("'' --profile dev")]
    public void TrySplitPosix_EmptyProgram_LeftToTheShell(string commandLine)
    {
        (_, string program, bool usedShell) = new CredentialProcessRunner(TimeProvider.System, isWindows: false).CreateStartInfo(commandLine);

        Assert.Null(CommandLineSplitter.TrySplitPosix(commandLine));
        Assert.Equal(("/bin/sh", true), (program, usedShell));
    }

    // CsCheck and afl-fuzz, masker: a secret holding '*' was completed again by the mask that replaced another copy of it.
    [Theory]
    [InlineData("a***b", "aa***bb")]
    [InlineData("baa*", "baababaabaa*aa*\n;\ufffd\\*=#+/aa*")]
    [InlineData("x*y*z", "x*x*y*z*z")]
    public void MaskSecrets_SecretHoldingTheMaskCharacter_NotRebuiltByTheMask(string secret, string text)
    {
        string masked = SecretMasker.MaskSecrets(text, secret);

        Assert.DoesNotContain(secret, masked, StringComparison.Ordinal);
        Assert.Equal(masked, SecretMasker.MaskSecrets(masked, secret));
        Assert.True(SecretMasker.ContainsSecret(text, secret));
    }

    // CsCheck, imds-json / container-json / process-output: a string holding a lone surrogate made JsonDocument throw ArgumentException,
    // which escaped the parsers' documented failures. The readers decode UTF-8 (never a lone surrogate), so no answer could reach it.
    [Fact]
    public void TryParse_LoneSurrogate_ReportsInvalidJson()
    {
        Assert.False(JsonCredentialsDocument.TryParse("{\"Code\":\"\ud800\"}", out JsonCredentialsDocument? document, out string? problem));

        Assert.Null(document);
        Assert.Equal("the answer is not valid JSON: it is not valid Unicode", problem);
    }

    [Fact]
    public void ProcessOutputParse_LoneSurrogate_ReportsInvalidJson()
    {
        var ex = Assert.Throws<CredentialProcessException>(() => CredentialProcessOutputParser.Parse("{\"Version\":1,\"SecretAccessKey\":\"ab\udc00\"}", "test", null));

        Assert.Equal("could not parse response: invalid JSON in response: the text is not valid Unicode", ex.Message);
        Assert.False(ex.IsRecoverable);
    }

    [Fact]
    public void DescribeErrorBody_LoneSurrogate_QuotesNothing()
    {
        Assert.Equal(string.Empty, ContainerCredentialSource.DescribeErrorBody("{\"code\":\"\ud800\"}", "token-value-1234"));
    }

    // afl-fuzz, container-json (also reachable through imds-json and process-output): a string member escaping a lone surrogate
    // ("\udddd") is valid JSON syntax, but GetString throws InvalidOperationException, which escaped the parsers (a crash of the
    // source on a broken or hostile endpoint's answer).
    [Fact]
    public void TryParse_EscapedLoneSurrogate_ReportsInvalidJson()
    {
        Assert.False(JsonCredentialsDocument.TryParse("{\"Code\":\"Er\\udddd\"}", out JsonCredentialsDocument? document, out string? problem));

        Assert.Null(document);
        Assert.Equal("the answer is not valid JSON: a string member escapes an unpaired surrogate (\\uD800-\\uDFFF)", problem);
    }

    [Fact]
    public void ProcessOutputParse_EscapedLoneSurrogate_NamesTheMember()
    {
        var ex = Assert.Throws<CredentialProcessException>(() => CredentialProcessOutputParser.Parse("{\"Version\":1,\"AccessKeyId\":\"AKIA\\ud800\"}", "test", null));

        Assert.Equal("the response's AccessKeyId escapes an unpaired surrogate (\\uD800-\\uDFFF), which is not text", ex.Message);
    }

    [Fact]
    public void DescribeErrorBody_EscapedLoneSurrogate_QuotesNothing()
    {
        Assert.Equal(string.Empty, ContainerCredentialSource.DescribeErrorBody("{\"code\":\"Er\\udddd\"}", "token-value-1234"));
    }

    // afl-fuzz, container-json: masking ran before escaping, so the escape of U+202E ("\u202e") could complete a token that holds
    // those characters; the text is now masked again after escaping.
    [Fact]
    public void DescribeErrorBody_EscapeCompletesTheToken_TokenMasked()
    {
        const string Token = @"x\u202eabcdefghijk";

        string detail = ContainerCredentialSource.DescribeErrorBody("{\"message\":\"x\\u202eabcdefghijk\"}", Token);

        Assert.Equal(" (***)", detail);
    }

    [Fact]
    public void StsClean_EscapeCompletesTheSecret_SecretMasked()
    {
        const string Secret = @"x\u0007abcdefghijk";

        Assert.Equal("Denied ***", StsCallFailureException.Clean("Denied x\u0007abcdefghijk", [Secret]));
    }

    // afl-fuzz, sts-error: an answer echoing the web identity token with control characters inside it. The 11 characters after a
    // NUL were kept (shorter than a fragment), and the NUL's escape ("\u0000") ended in the token's preceding "0": the message
    // showed a 12-character fragment of the token.
    [Fact]
    public void StsClean_EscapeDigitCompletesAFragment_FragmentMasked()
    {
        string cleaned = StsCallFailureException.Clean("token x\u00006c2VydmljZWz is invalid", [StsAnswerInvariants.WebIdentityToken]);

        Assert.Contains("06c2VydmljZW", StsAnswerInvariants.WebIdentityToken, StringComparison.Ordinal);
        Assert.Equal("token x\\u000***z is invalid", cleaned);
    }
}
