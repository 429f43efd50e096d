using System.Diagnostics;
using System.Text;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

namespace WorkloadCredentials.Tests.Tool;

/// <summary>
/// Runs <c>workload-credentials</c> as a real process (<c>dotnet workload-credentials.dll ...</c>, the build copies the tool to
/// <c>tool/</c> beside the tests) in a controlled environment: it starts EMPTY, then gets PATH, the DOTNET_* variables,
/// a temporary HOME (so no real ~/.aws is read) and <c>AWS_EC2_METADATA_DISABLED=true</c>. No container variable is ever inherited, so
/// nothing can reach 169.254.x or a real AWS host; tests add the variables they need.
/// </summary>
public sealed class ToolRunner : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    public ToolRunner()
    {
        Home = Directory.CreateTempSubdirectory("wc-cli-home-").FullName;
        Environment = BaseEnvironment(Home);
    }

    /// <summary>Gets the path of the tool's entry assembly.</summary>
    public static string ToolPath
    {
        get
        {
            string path = Path.Combine(AppContext.BaseDirectory, "tool", "workload-credentials.dll");
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException($"The tool was not copied beside the tests ({path}); build the test project, which builds and copies it.");
        }
    }

    /// <summary>Gets the temporary home directory (deleted on dispose).</summary>
    public string Home { get; }

    /// <summary>Gets the child's whole environment; add or remove variables before <see cref="RunAsync(string[])"/>.</summary>
    public Dictionary<string, string> Environment { get; }

    /// <summary>The base environment: PATH, DOTNET_*, HOME and IMDS disabled. Nothing else from this process.</summary>
    public static Dictionary<string, string> BaseEnvironment(string home)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = home,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        };
        foreach (System.Collections.DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith("DOTNET_", StringComparison.Ordinal) && variable.Value is string value)
            {
                environment.TryAdd(name, value);
            }
        }

        return environment;
    }

    /// <summary>Writes a file under the temporary home and returns its path.</summary>
    public string WriteFile(string relativePath, string content)
    {
        string path = Path.Combine(Home, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs the tool; the secret scan checks its stderr, and its stdout unless the command is <c>export</c>.</summary>
    public Task<ProcessResult> RunAsync(params string[] args) =>
        RunProcessAsync("dotnet", [ToolPath, .. args], Environment, standardOutputHoldsCredentials: args is ["export", ..]);

    /// <summary>
    /// Runs any program with exactly <paramref name="environment"/> (nothing inherited), capturing stdout and stderr. The secret
    /// scan checks both; pass <paramref name="standardOutputHoldsCredentials"/> only when stdout is meant to carry credentials
    /// (the output of <c>export</c>, or a shell that evaluates it).
    /// </summary>
    public static async Task<ProcessResult> RunProcessAsync(
        string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string? standardInput = null, bool standardOutputHoldsCredentials = false)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment.Clear();
        foreach ((string name, string value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        using Process process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not exit within {RunTimeout.TotalSeconds} s.");
        }

        var result = new ProcessResult(process.ExitCode, await output, await error);
        string[] argList = [.. args];
        string program = argList is [{ } first, ..] && first == ToolPath ? "workload-credentials " + string.Join(' ', argList.Skip(1).Take(1)) : Path.GetFileName(fileName);
        SecretScanner.Check(result.Error, program + " stderr");
        if (!standardOutputHoldsCredentials)
        {
            SecretScanner.Check(result.Output, program + " stdout");
        }

        return result;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
