using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace WorkloadCredentials.Soak;

/// <summary>
/// The WebApi sample as a child process (<c>dotnet exec WebApi.dll</c>), configured through environment variables only, as a user
/// would. Its output is kept (the last lines) and counted; its memory, threads and sockets are read from /proc.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private const int KeptLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly List<string> _allLines = [];
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _warnings;

    private AppProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Gets how many lines the app logged at warning level or above ("warn:", "fail:", "crit:").</summary>
    public int Warnings => Volatile.Read(ref _warnings);

    public static string AssemblyPath() =>
        typeof(AppProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WebApiPath").Value
        ?? throw new InvalidOperationException("The WebApi sample path was not recorded at build time.");

    public static AppProcess Start(int port, IReadOnlyDictionary<string, string> environment)
    {
        string dll = AssemblyPath();
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        startInfo.ArgumentList.Add("exec");
        startInfo.ArgumentList.Add(dll);
        startInfo.ArgumentList.Add("--Port=" + port.ToString(CultureInfo.InvariantCulture));

        // Nothing of this machine's AWS setup leaks in: every AWS_* variable is dropped, then the soak's are set.
        foreach (string key in startInfo.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("AWS__", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        foreach ((string key, string value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var app = new AppProcess(process);
        process.OutputDataReceived += (_, e) => app.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => app.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    public Task<Uri> WaitListeningAsync(TimeSpan timeout) => _listening.Task.WaitAsync(timeout);

    /// <summary>Gets the last lines of output, with every known secret replaced by <c>***</c>.</summary>
    public IReadOnlyList<string> LastLines(IEnumerable<string> secrets)
    {
        string[] known = secrets.ToArray();
        lock (_lastLines)
        {
            return _lastLines.Select(l => known.Aggregate(l, static (line, secret) => line.Replace(secret, "***", StringComparison.Ordinal))).ToList();
        }
    }

    /// <summary>Counts the output lines that contain any of <paramref name="secrets"/> (must be 0).</summary>
    public int LinesContaining(IReadOnlyCollection<string> secrets)
    {
        lock (_lastLines)
        {
            return _allLines.Count(line => secrets.Any(secret => line.Contains(secret, StringComparison.Ordinal)));
        }
    }

    /// <summary>
    /// Reads from /proc the resident memory of the process (MiB): all of it (VmRSS) and its private anonymous part (RssAnon: the
    /// heaps, stacks and native allocations, where a leak shows; the rest is mapped files, such as the code of assemblies as it is
    /// first run), and its thread and open socket counts.
    /// </summary>
    public (double RssMiB, double AnonMiB, int Threads, int Sockets) ReadProc()
    {
        string proc = "/proc/" + _process.Id.ToString(CultureInfo.InvariantCulture);
        double rss = 0;
        double anon = 0;
        int threads = 0;
        foreach (string line in File.ReadLines(proc + "/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line, "VmRSS:") / 1024.0;
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anon = Kilobytes(line, "RssAnon:") / 1024.0;
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        int sockets = 0;
        foreach (string fd in Directory.EnumerateFileSystemEntries(proc + "/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:", StringComparison.Ordinal))
                {
                    sockets++;
                }
            }
            catch (IOException)
            {
                // closed while we looked
            }
        }

        return (rss, anon, threads, sockets);
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
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static long Kilobytes(string line, string field) =>
        long.Parse(line[field.Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _warnings);
        }

        int at = line.IndexOf("Now listening on: ", StringComparison.Ordinal);
        if (at >= 0)
        {
            _listening.TrySetResult(new Uri(line[(at + "Now listening on: ".Length)..].Trim()));
        }

        lock (_lastLines)
        {
            _allLines.Add(line);
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }
    }
}
