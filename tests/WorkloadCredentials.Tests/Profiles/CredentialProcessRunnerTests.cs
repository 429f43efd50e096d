using System.Diagnostics;
using WorkloadCredentials.Profiles.Internal;

namespace WorkloadCredentials.Tests.Profiles;

/// <summary>Runs real processes (POSIX: <c>/bin/sh</c>, <c>printf</c>, <c>sleep</c>), bounded to a second or two each.</summary>
public sealed class CredentialProcessRunnerTests
{
    private static CredentialProcessRunner CreateSut(int maxOutputBytes = 64 * 1024) => new(TimeProvider.System, isWindows: false, maxOutputBytes);

    [Fact]
    public async Task RunAsync_PlainCommand_RunsWithoutShell()
    {
        CredentialProcessResult result = await CreateSut().RunAsync("printf '%s' '{\"Version\": 1}'", TimeSpan.FromSeconds(10), null, TestContext.Current.CancellationToken);

        Assert.Equal((0, "{\"Version\": 1}", "printf", false), (result.ExitCode, result.StandardOutput, result.Program, result.UsedShell));
    }

    [Fact]
    public async Task RunAsync_Pipeline_RunsUnderShell()
    {
        CredentialProcessResult result = await CreateSut().RunAsync("echo eyJWZXJzaW9uIjogMX0K | base64 --decode", TimeSpan.FromSeconds(10), null, TestContext.Current.CancellationToken);

        Assert.Equal((0, "{\"Version\": 1}\n", "/bin/sh", true), (result.ExitCode, result.StandardOutput, result.Program, result.UsedShell));
    }

    [Fact]
    public async Task RunAsync_ExitBuiltin_RunsUnderShellAndReportsCode()
    {
        CredentialProcessResult result = await CreateSut().RunAsync("exit 3", TimeSpan.FromSeconds(10), null, TestContext.Current.CancellationToken);

        Assert.Equal((3, true), (result.ExitCode, result.UsedShell));
    }

    [Fact]
    public async Task RunAsync_StandardErrorKeptApart()
    {
        CredentialProcessResult result = await CreateSut().RunAsync("echo out; echo err >&2", TimeSpan.FromSeconds(10), null, TestContext.Current.CancellationToken);

        Assert.Equal(("out\n", "err\n"), (result.StandardOutput, result.StandardError));
    }

    [Fact]
    public async Task RunAsync_StandardInputClosed_PromptGetsEndOfFile()
    {
        CredentialProcessResult result = await CreateSut().RunAsync("cat", TimeSpan.FromSeconds(10), null, TestContext.Current.CancellationToken);

        Assert.Equal((0, string.Empty), (result.ExitCode, result.StandardOutput));
    }

    [Fact]
    public async Task RunAsync_MissingProgram_NamesProgramNotArguments()
    {
        var ex = await Assert.ThrowsAsync<CredentialProcessException>(
            async () => await CreateSut().RunAsync("no-such-helper-7f3a --token SECRETARG", TimeSpan.FromSeconds(10), null, TestContext.Current.CancellationToken));

        Assert.StartsWith("could not start program 'no-such-helper-7f3a': ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETARG", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsRecoverable);
    }

    [Fact]
    public async Task RunAsync_SlowProcess_KilledAtTimeout()
    {
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<CredentialProcessException>(
            async () => await CreateSut().RunAsync("sleep 30", TimeSpan.FromMilliseconds(300), null, TestContext.Current.CancellationToken));

        Assert.Equal("program 'sleep' did not finish within 0.3 s and was stopped with its child processes", ex.Message);
        Assert.True(ex.IsRecoverable);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task RunAsync_Cancelled_ThrowsOperationCanceledAndKills()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await CreateSut().RunAsync("sleep 30", TimeSpan.FromSeconds(60), null, cts.Token));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task RunAsync_CancelledBefore_DoesNotStart()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await CreateSut().RunAsync("no-such-helper-7f3a", TimeSpan.FromSeconds(1), null, new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task RunAsync_TooMuchOutput_Rejected()
    {
        var ex = await Assert.ThrowsAsync<CredentialProcessException>(
            async () => await CreateSut(maxOutputBytes: 1000).RunAsync("head -c 100000 /dev/zero", TimeSpan.FromSeconds(10), null, TestContext.Current.CancellationToken));

        Assert.Equal("program 'head' wrote more than 1000 bytes to standard output (credentials take a few kilobytes) and was stopped", ex.Message);
        Assert.False(ex.IsRecoverable);
    }

    [Theory]
    [InlineData("helper --profile \"my profile\" 'a b' x=1", false, new[] { "helper", "--profile", "my profile", "a b", "x=1" })]
    [InlineData("/opt/bin/helper   --region\teu-west-1", false, new[] { "/opt/bin/helper", "--region", "eu-west-1" })]
    [InlineData("printf '%s|%s;$HOME' a b", false, new[] { "printf", "%s|%s;$HOME", "a", "b" })]
    [InlineData("helper | base64 --decode", true, new[] { "-c", "helper | base64 --decode" })]
    [InlineData("helper > /tmp/out", true, new[] { "-c", "helper > /tmp/out" })]
    [InlineData("helper $TOKEN_FILE", true, new[] { "-c", "helper $TOKEN_FILE" })]
    [InlineData("helper \"$HOME/x\"", true, new[] { "-c", "helper \"$HOME/x\"" })]
    [InlineData("~/bin/helper", true, new[] { "-c", "~/bin/helper" })]
    [InlineData("helper *.json", true, new[] { "-c", "helper *.json" })]
    [InlineData("AWS_PROFILE=x helper", true, new[] { "-c", "AWS_PROFILE=x helper" })]
    [InlineData("exit 3", true, new[] { "-c", "exit 3" })]
    [InlineData("helper 'unterminated", true, new[] { "-c", "helper 'unterminated" })]
    public void CreateStartInfo_DocumentedRule_PlainLinesExecDirectlyShellSyntaxRunsUnderShell(string commandLine, bool usesShell, string[] expected)
    {
        (ProcessStartInfo startInfo, string program, bool usedShell) = CreateSut().CreateStartInfo(commandLine);

        Assert.Equal(usesShell, usedShell);
        Assert.Equal(usesShell ? "/bin/sh" : expected[0], startInfo.FileName);
        Assert.Equal(startInfo.FileName, program);
        Assert.Equal(usesShell ? expected : expected[1..], startInfo.ArgumentList.ToArray());
    }
}
