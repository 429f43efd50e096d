using System.Diagnostics;
using System.Reflection;
using System.Text;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

namespace WorkloadCredentials.Tests.Samples;

/// <summary>
/// Runs a sample (built by the test project's reference to it) as a child process with a clean environment: no AWS_* variable
/// of the test machine leaks in; instance metadata is disabled and the shared AWS files point nowhere unless the test sets them.
/// Kills the process tree on timeout.
/// </summary>
public sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private readonly TestIdentity _test = TestIdentity.Current;
    private readonly string _name;

    private SampleProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    public int Id => _process.Id;

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stdout)
            {
                return _stderr.ToString();
            }
        }
    }

    public Stream StandardInput => _process.StandardInput.BaseStream;

    /// <summary>Gets the path of a sample's built assembly, e.g. samples/BackupUploader/bin/Release/net10.0/BackupUploader.dll.</summary>
    public static string AssemblyPath(string sampleName)
    {
        string configuration = typeof(SampleProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string path = Path.Combine(RepositoryRoot.Require(), "samples", sampleName, "bin", configuration, "net10.0", sampleName + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The sample {sampleName} is not built at {path}: build the solution first.", path);
    }

    /// <summary>Starts the sample. <paramref name="runAsUser"/> (a uid) runs it through setpriv as another user (for permission tests as root).</summary>
    public static SampleProcess Start(string sampleName, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, int? runAsUser = null, string? workingDirectory = null)
    {
        string dll = AssemblyPath(sampleName);
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
        };

        // The sample starts with Ctrl+C's signal at its default, as from a terminal: a test run started in the background
        // (nohup, `cmd &` in a script) ignores SIGINT, the child would inherit that and InterruptAsync could never reach it.
        // GNU env (Linux) execs in place, so the process id stays the sample's; BSD env has no such option.
        List<string> command = OperatingSystem.IsLinux() ? ["env", "--default-signal=INT"] : [];
        if (runAsUser is { } uid)
        {
            command.AddRange([OnTestPath("setpriv"), $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--"]);
        }

        command.AddRange([DotnetHost(), "exec", dll]);
        startInfo.FileName = command[0];
        foreach (string a in command.Skip(1))
        {
            startInfo.ArgumentList.Add(a);
        }

        foreach (string arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (string key in startInfo.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        // A safe base that the test's own variables override: no instance metadata, none of the developer's AWS files.
        foreach ((string name, string value) in TestEnvironment.SafeDefaults)
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (runAsUser is not null)
        {
            startInfo.Environment["HOME"] = Path.GetTempPath();
            startInfo.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }

        foreach ((string key, string? value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var sample = new SampleProcess(process, sampleName);
        process.OutputDataReceived += (_, e) => sample.Append(sample._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => sample.Append(sample._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sample;
    }

    /// <summary>Waits for the exit; kills the process tree and fails after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The sample did not exit within {timeout}. Output:\n{StandardOutput}\nErrors:\n{StandardError}");
        }

        _process.WaitForExit(); // flush the redirected output
        return _process.ExitCode;
    }

    /// <summary>Waits until the sample writes a line matching <paramref name="match"/> to standard output.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stdout)
        {
            string? existing = _stdout.ToString().Split('\n').FirstOrDefault(match);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            _waiters.Add((match, seen));
        }

        return seen.Task.WaitAsync(timeout);
    }

    /// <summary>Sends SIGINT (Ctrl+C) to the sample.</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>
    /// Whether a process with this id is alive and its command line contains <paramref name="commandLineFragment"/>
    /// (so a recycled id does not count). A zombie waiting to be reaped does not count as running.
    /// </summary>
    public static bool IsRunning(int processId, string commandLineFragment)
    {
        string proc = Path.Combine("/proc", processId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            string stat = File.ReadAllText(Path.Combine(proc, "stat"));
            char state = stat[(stat.LastIndexOf(')') + 2)..][0];
            string commandLine = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
            return state is not ('Z' or 'X') && commandLine.Contains(commandLineFragment, StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // gone
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : OnTestPath("dotnet");

    /// <summary>
    /// The full path of a program on the test's own PATH: env runs what follows it on the child's PATH, which a test may have
    /// narrowed (to show that a program is missing there).
    /// </summary>
    private static string OnTestPath(string program)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{program} is not on PATH: install it (dotnet: the .NET SDK; setpriv: Debian's util-linux package).", program);
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        // The secret scan: a sample never prints a secret, on either stream; its output arrives on another thread.
        SecretScanner.Check(line, $"{_name} {(ReferenceEquals(target, _stdout) ? "stdout" : "stderr")}", _test);
        lock (_stdout)
        {
            target.AppendLine(line);
            if (ReferenceEquals(target, _stdout))
            {
                foreach ((Func<string, bool> match, TaskCompletionSource<string> seen) in _waiters.Where(w => w.Match(line)).ToList())
                {
                    seen.TrySetResult(line);
                    _waiters.RemoveAll(w => w.Seen == seen);
                }
            }
        }
    }
}
