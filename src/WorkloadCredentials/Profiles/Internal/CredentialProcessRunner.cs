using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Runs a <c>credential_process</c>: directly when <see cref="CommandLineSplitter"/> can split the line, else under
/// <c>/bin/sh -c</c> or <c>cmd.exe /d /s /c</c>. Standard input is closed at once (nobody can answer a prompt), standard
/// output and error are read concurrently with a size cap, and the process tree is killed on timeout or cancellation.
/// </summary>
internal sealed class CredentialProcessRunner : ICredentialProcessRunner
{
    private readonly TimeProvider _timeProvider;
    private readonly bool _isWindows;
    private readonly int _maxOutputChars;

    public CredentialProcessRunner(TimeProvider timeProvider, bool? isWindows = null, int maxOutputChars = ProfileConstants.CredentialProcessMaxOutputChars)
    {
        _timeProvider = timeProvider;
        _isWindows = isWindows ?? OperatingSystem.IsWindows();
        _maxOutputChars = maxOutputChars;
    }

    public async ValueTask<CredentialProcessResult> RunAsync(string commandLine, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        (ProcessStartInfo startInfo, string program, bool usedShell) = CreateStartInfo(commandLine);

        using var process = new Process { StartInfo = startInfo };
        long started = _timeProvider.GetTimestamp();
        try
        {
            _ = process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            throw new CredentialProcessException($"could not start program '{program}': {ex.Message}", isRecoverable: false, ex);
        }

        process.StandardInput.Close();

        using var timeoutSource = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        CredentialProcessException? overflow = null;
        void OnOverflow(CredentialProcessException ex)
        {
            overflow = ex;
            linked.Cancel();
        }

        Task<string> output = ReadLimitedAsync(process.StandardOutput, _maxOutputChars, OnOverflow, linked.Token);
        Task<string> error = ReadLimitedAsync(process.StandardError, _maxOutputChars, OnOverflow, linked.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            string standardOutput = await output.ConfigureAwait(false);
            string standardError = await error.ConfigureAwait(false);
            return new CredentialProcessResult(process.ExitCode, standardOutput, standardError, program, usedShell, _timeProvider.GetElapsedTime(started));
        }
        catch (OperationCanceledException ex)
        {
            Kill(process);
            Observe(output);
            Observe(error);
            cancellationToken.ThrowIfCancellationRequested();
            throw overflow ?? new CredentialProcessException(
                $"program '{program}' did not finish within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s and was stopped",
                isRecoverable: true,
                ex);
        }
    }

    internal (ProcessStartInfo StartInfo, string Program, bool UsedShell) CreateStartInfo(string commandLine)
    {
        var startInfo = new ProcessStartInfo
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };

        if (_isWindows)
        {
            if (CommandLineSplitter.TrySplitWindows(commandLine) is { } split)
            {
                startInfo.FileName = split.Program;
                startInfo.Arguments = split.Arguments;
                return (startInfo, split.Program, false);
            }

            startInfo.FileName = "cmd.exe";
            startInfo.Arguments = $"/d /s /c \"{commandLine}\"";
            return (startInfo, "cmd.exe", true);
        }

        if (CommandLineSplitter.TrySplitPosix(commandLine) is { } words)
        {
            startInfo.FileName = words[0];
            for (int i = 1; i < words.Count; i++)
            {
                startInfo.ArgumentList.Add(words[i]);
            }

            return (startInfo, words[0], false);
        }

        startInfo.FileName = "/bin/sh";
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(commandLine);
        return (startInfo, "/bin/sh", true);
    }

    private static async Task<string> ReadLimitedAsync(
        StreamReader reader, int maxChars, Action<CredentialProcessException> onOverflow, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        char[] buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (text.Length + read > maxChars)
            {
                var overflow = new CredentialProcessException($"the process wrote more than {maxChars} characters", isRecoverable: false);
                onOverflow(overflow);
                throw overflow;
            }

            _ = text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    private static void Observe(Task task) =>
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }
}
