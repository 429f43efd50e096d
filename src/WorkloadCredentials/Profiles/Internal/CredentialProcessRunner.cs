using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using System.Text;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Runs a <c>credential_process</c>: directly when <see cref="CommandLineSplitter"/> can split the line, else under
/// <c>/bin/sh -c</c> or <c>cmd.exe /d /s /c</c>. Standard input is closed at once (nobody can answer a prompt).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Standard output is read up to <see cref="DefaultMaxStandardOutputBytes"/>; one byte more stops the program
/// (credentials take a few kilobytes). Standard error is drained, and only its first <see cref="MaxStandardErrorBytes"/> are kept.</description></item>
/// <item><description>The answer is what the program wrote until it exited, plus what reaches the pipes within <see cref="ExitGrace"/>
/// after. A program that exits but leaves a background child holding its output does not make the caller wait for that child:
/// reading stops at the grace, and (on Linux) any process still holding the pipes is killed.</description></item>
/// <item><description>On timeout or cancellation the whole process tree is killed, then any process still holding the pipes.</description></item>
/// </list>
/// </remarks>
internal sealed partial class CredentialProcessRunner : ICredentialProcessRunner
{
    /// <summary>The most standard output accepted.</summary>
    public const int DefaultMaxStandardOutputBytes = 64 * 1024;

    /// <summary>The most standard error kept (the rest is read and dropped): it only feeds a bounded Debug record.</summary>
    public const int MaxStandardErrorBytes = 64 * 1024;

    /// <summary>How long output is still read after the program exited.</summary>
    public static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(1);

    private const int MaxProgramNameLength = 128;

    private readonly TimeProvider _timeProvider;
    private readonly bool _isWindows;
    private readonly int _maxOutputBytes;

    public CredentialProcessRunner(TimeProvider timeProvider, bool? isWindows = null, int maxOutputBytes = DefaultMaxStandardOutputBytes)
    {
        _timeProvider = timeProvider;
        _isWindows = isWindows ?? OperatingSystem.IsWindows();
        _maxOutputBytes = maxOutputBytes;
    }

    public async ValueTask<CredentialProcessResult> RunAsync(
        string commandLine, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        (ProcessStartInfo startInfo, string program, bool usedShell) = CreateStartInfo(commandLine);
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }
        string shownProgram = SafeText.Escape(program, MaxProgramNameLength);

        using var process = new Process { StartInfo = startInfo };
        long started = _timeProvider.GetTimestamp();
        try
        {
            _ = process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            // No inner exception: the message is all it holds, escaped here.
            throw new CredentialProcessException($"could not start program '{shownProgram}': {SafeText.Escape(ex.Message)}", isRecoverable: false);
        }

        process.StandardInput.Close();

        using var timeoutSource = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
        Stream outputStream = process.StandardOutput.BaseStream;
        Stream errorStream = process.StandardError.BaseStream;
        var output = new BoundedPipeReader(outputStream, _maxOutputBytes, stopAtLimit: true);
        var error = new BoundedPipeReader(errorStream, MaxStandardErrorBytes, stopAtLimit: false);
        Task outputRead = output.ReadAsync(stopReading.Token);
        Task errorRead = error.ReadAsync(stopReading.Token);
        try
        {
            Task exited = process.WaitForExitAsync(linked.Token);
            if (await Task.WhenAny(exited, outputRead).ConfigureAwait(false) == outputRead && output.LimitReached)
            {
                throw Stop(process, shownProgram, outputStream, errorStream);
            }

            await exited.ConfigureAwait(false);
            if (!await WaitWithinGraceAsync(Task.WhenAll(outputRead, errorRead), linked.Token).ConfigureAwait(false))
            {
                // A background child still holds the pipes: its output is not ours to wait for.
                PipeHolders.Kill(outputStream, errorStream);
            }

            if (output.LimitReached)
            {
                throw Stop(process, shownProgram, outputStream, errorStream);
            }

            return new CredentialProcessResult(process.ExitCode, output.GetText(), error.GetText(), program, usedShell, _timeProvider.GetElapsedTime(started));
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            PipeHolders.Kill(outputStream, errorStream);
            cancellationToken.ThrowIfCancellationRequested();
            throw new CredentialProcessException(
                $"program '{shownProgram}' did not finish within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s and was stopped with its child processes",
                isRecoverable: true);
        }
        finally
        {
            await stopReading.CancelAsync().ConfigureAwait(false);
        }
    }

    internal (ProcessStartInfo StartInfo, string Program, bool UsedShell) CreateStartInfo(string commandLine)
    {
        CommandLineSplitter.ThrowIfUnpassable(commandLine);
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

    /// <summary>Waits for <paramref name="reads"/> at most <see cref="ExitGrace"/>; <see langword="false"/> when they did not end.</summary>
    private async Task<bool> WaitWithinGraceAsync(Task reads, CancellationToken cancellationToken)
    {
        try
        {
            await reads.WaitAsync(ExitGrace, _timeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private CredentialProcessException Stop(Process process, string shownProgram, Stream output, Stream error)
    {
        KillTree(process);
        PipeHolders.Kill(output, error);
        return new CredentialProcessException(
            $"program '{shownProgram}' wrote more than {_maxOutputBytes.ToString(CultureInfo.InvariantCulture)} bytes to standard output (credentials take a few kilobytes) and was stopped",
            isRecoverable: false);
    }

    private static void KillTree(Process process)
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

    /// <summary>
    /// Finds and kills the processes that still hold the program's output pipes after it exited or was killed: background children
    /// it left behind, which no longer belong to its process tree. Linux only (through <c>/proc</c>); elsewhere the reading simply stops.
    /// </summary>
    private static class PipeHolders
    {
        public static void Kill(params Stream[] streams)
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            var pipes = new HashSet<string>(StringComparer.Ordinal);
            foreach (Stream stream in streams)
            {
                if (stream is PipeStream pipe && LinkTarget($"/proc/self/fd/{pipe.SafePipeHandle.DangerousGetHandle()}") is { } target
                    && target.StartsWith("pipe:", StringComparison.Ordinal))
                {
                    _ = pipes.Add(target);
                }
            }

            if (pipes.Count == 0)
            {
                return;
            }

            int self = System.Environment.ProcessId;
            foreach (string directory in SafeEnumerate("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == self)
                {
                    continue;
                }

                foreach (string descriptor in SafeEnumerate($"/proc/{pid}/fd"))
                {
                    if (LinkTarget(descriptor) is { } target && pipes.Contains(target))
                    {
                        KillProcess(pid);
                        break;
                    }
                }
            }
        }

        private static string[] SafeEnumerate(string directory)
        {
            try
            {
                return Directory.GetFileSystemEntries(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return [];
            }
        }

        private static string? LinkTarget(string path)
        {
            try
            {
                return new FileInfo(path).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static void KillProcess(int pid)
        {
            try
            {
                using var holder = Process.GetProcessById(pid);
                holder.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception or NotSupportedException)
            {
                // Gone already.
            }
        }
    }
}
