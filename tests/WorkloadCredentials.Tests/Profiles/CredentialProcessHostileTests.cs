using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;

using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Profiles;

/// <summary>Runs alone: it measures this process's allocations while a child writes 100 MB.</summary>
[CollectionDefinition(nameof(CredentialProcessHostileTests), DisableParallelization = true)]
public sealed class CredentialProcessHostileCollection;

/// <summary>
/// Hostile <c>credential_process</c> programs (POSIX, real processes): one that hangs, one that leaves a child holding stdout, one
/// that writes 100 MB to stdout or stderr, one that writes ANSI escapes and keys to stderr. Each is bounded in time and memory,
/// leaves no process running, and ends with a clear message.
/// </summary>
[Collection(nameof(CredentialProcessHostileTests))]
public sealed class CredentialProcessHostileTests : IDisposable
{
    private const string KeyId = "AKIAHOSTILEEXAMPLE01";
    // No "secret", "token" or "AccessKey" in it: the old keyword filter let such a line through.
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzHOSTILE";
    private const string Json = "{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESS0000001\", \"SecretAccessKey\": \"processSecretEXAMPLEKEY\"}";

    private readonly FakeLogCollector _logs = new();
    private readonly ProfileFiles _files = new();
    private readonly string _pidDirectory = Directory.CreateTempSubdirectory("wc-pids-").FullName;

    public void Dispose()
    {
        _files.Dispose();
        Directory.Delete(_pidDirectory, recursive: true);
    }

    [Fact]
    public async Task GetCredentialsAsync_ExitsLeavingChildHoldingStdout_AnswersAfterGraceAndEndsChild()
    {
        string childPid = PidFile("child");
        ProfileCredentialSource source = CreateSut($"sleep 30 & echo $! > '{childPid}'; printf '%s' '{Json}'", TimeSpan.FromSeconds(10));
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        stopwatch.Stop();
        Assert.True(Report(stopwatch, allocatedBefore) < 8 * 1024 * 1024);
        Assert.Equal("ASIAPROCESS0000001", credentials.AccessKeyId);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"took {stopwatch.Elapsed} (the program exited at once; reading stops 1 s later)");
        await AssertEndedAsync(childPid);
    }

    [Fact]
    public async Task GetCredentialsAsync_ProcessAndChildHang_TimeoutEndsWholeTree()
    {
        string shellPid = PidFile("shell");
        string childPid = PidFile("child");
        ProfileCredentialSource source = CreateSut($"echo $$ > '{shellPid}'; sleep 30 & echo $! > '{childPid}'; wait", TimeSpan.FromMilliseconds(700));
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        stopwatch.Stop();
        Assert.True(Report(stopwatch, allocatedBefore) < 8 * 1024 * 1024);
        Assert.Equal(
            $"Profile: the credential_process of profile 'default' ({_files.ConfigPath} line 2) failed: program '/bin/sh' did not finish within 0.7 s and was stopped with its child processes. Run the command by hand to see what it prints.",
            ex.Message);
        Assert.True(ex.IsRecoverable);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        await AssertEndedAsync(shellPid);
        await AssertEndedAsync(childPid);
    }

    [Fact]
    public async Task GetCredentialsAsync_Writes100MegabytesToStdout_StoppedEarlyWithBoundedMemory()
    {
        string pid = PidFile("writer");
        ProfileCredentialSource source = CreateSut($"echo $$ > '{pid}'; exec head -c 100000000 /dev/zero", TimeSpan.FromSeconds(30));
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        stopwatch.Stop();
        long allocated = Report(stopwatch, allocatedBefore);
        Assert.Equal(
            $"Profile: the credential_process of profile 'default' ({_files.ConfigPath} line 2) failed: program '/bin/sh' wrote more than 65536 bytes to standard output (credentials take a few kilobytes) and was stopped. Run the command by hand to see what it prints.",
            ex.Message);
        Assert.False(ex.IsRecoverable);
        Assert.True(allocated < 8 * 1024 * 1024, $"allocated {allocated} bytes");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        await AssertEndedAsync(pid);
    }

    [Fact]
    public async Task GetCredentialsAsync_Writes100MegabytesToStderr_DrainedKeepingOnlyTheCap()
    {
        string pid = PidFile("writer");
        ProfileCredentialSource source = CreateSut($"echo $$ > '{pid}'; head -c 100000000 /dev/zero >&2; printf '%s' '{Json}'", TimeSpan.FromSeconds(30));
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        stopwatch.Stop();
        long allocated = Report(stopwatch, allocatedBefore);
        Assert.Equal("ASIAPROCESS0000001", credentials.AccessKeyId);
        Assert.True(allocated < 8 * 1024 * 1024, $"allocated {allocated} bytes while the program wrote 100 MB to stderr");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
        await AssertEndedAsync(pid);
    }

    [Fact]
    public async Task GetCredentialsAsync_FailsWritingAnsiAndKeysToStderr_MessageHasExitCodeNeverStderr()
    {
        string pid = PidFile("writer");
        ProfileCredentialSource source = CreateSut(
            $"echo $$ > '{pid}'; printf '\\033[2J\\033[HCredentials OK {KeyId} {Secret}\\n' >&2; exit 4",
            TimeSpan.FromSeconds(10));
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.True(Report(stopwatch, allocatedBefore) < 8 * 1024 * 1024);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");

        Assert.Equal(
            $"Profile: the credential_process of profile 'default' ({_files.ConfigPath} line 2) failed: the external process exited with code 4; its standard error is not shown (it may hold credentials). Run the command by hand to see what it prints.",
            ex.Message);
        Assert.True(ex.IsRecoverable);
        Assert.Equal(ProfileErrorKind.CredentialProcessFailed, ex.Kind);

        // At most a Debug record: bounded, escaped, key-like runs masked.
        FakeLogRecord stderrRecord = Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 515);
        Assert.Equal(LogLevel.Debug, stderrRecord.Level);
        Assert.Contains("\\u001b[2J\\u001b[HCredentials OK", stderrRecord.Message, StringComparison.Ordinal);
        foreach (FakeLogRecord record in _logs.GetSnapshot())
        {
            Assert.DoesNotContain('\u001b', record.Message);
            Assert.DoesNotContain(KeyId, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret[..12], record.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Credentials OK", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(KeyId, ex.ToString(), StringComparison.Ordinal);
        await AssertEndedAsync(pid);
    }

    /// <summary>Writes the figures to the test output (shown with <c>--output detailed</c>) and returns the bytes allocated.</summary>
    private static long Report(Stopwatch stopwatch, long allocatedBefore)
    {
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        TestContext.Current.TestOutputHelper?.WriteLine($"elapsed {stopwatch.Elapsed.TotalMilliseconds:0} ms, allocated {allocated / 1024} KiB");
        return allocated;
    }

    private string PidFile(string name) => Path.Combine(_pidDirectory, name + ".pid");

    /// <summary>Waits (at most 3 s) until the process whose pid the program wrote is gone (or a zombie nobody reaped yet).</summary>
    private static async Task AssertEndedAsync(string pidFile)
    {
        int pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var stopwatch = Stopwatch.StartNew();
        while (IsRunning(pid))
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"process {pid} is still running");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private ProfileCredentialSource CreateSut(string commandLine, TimeSpan timeout)
    {
        File.WriteAllText(_files.ConfigPath, $"[default]\ncredential_process = {commandLine}\n");
        var loggerFactory = new LoggerFactory([new FakeLoggerProvider(_logs)], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
        var context = NetworkSafety.Guarded(
            new WorkloadCredentialsOptions(), new DictionaryEnvironment(new Dictionary<string, string> { ["HOME"] = _files.Home }), TimeProvider.System, loggerFactory);
        return new ProfileCredentialSource(context, new FakeProfileStepFactory(), isWindows: false, processTimeout: timeout);
    }
}
