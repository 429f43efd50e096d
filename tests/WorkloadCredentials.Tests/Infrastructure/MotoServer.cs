using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>
/// A real <c>moto_server</c> (the third-party AWS emulator) on a free loopback port, started for a test class and stopped with it.
/// When moto is missing the test fails and says how to install it: it never silently skips.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    public const string InstallHint = "moto_server was not found on PATH. Install it with: pip install \"moto[server]\" (moto 5), then run the tests again.";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private MotoServer(Process process, int port)
    {
        _process = process;
        Port = port;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    /// <summary>Gets the loopback endpoint, e.g. http://127.0.0.1:41234.</summary>
    public Uri Endpoint { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts moto. With <paramref name="initialNoAuthActionCount"/> set, signatures and IAM policies are verified after that many free actions.</summary>
    public static async Task<MotoServer> StartAsync(int? initialNoAuthActionCount = null, CancellationToken cancellationToken = default)
    {
        int port = GetFreePort();
        var startInfo = new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (initialNoAuthActionCount is { } count)
        {
            startInfo.Environment["INITIAL_NO_AUTH_ACTION_COUNT"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // moto must never reach a real AWS host; keep any inherited AWS settings out of it.
        foreach (string key in startInfo.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        startInfo.Environment["AWS_ACCESS_KEY_ID"] = "moto";
        startInfo.Environment["AWS_SECRET_ACCESS_KEY"] = "moto";
        startInfo.Environment["AWS_DEFAULT_REGION"] = "us-east-1";

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException(InstallHint);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(InstallHint, ex);
        }

        var server = new MotoServer(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with code {process.ExitCode} before it answered: {server.Output}");
            }

            try
            {
                using HttpResponseMessage response = await client.GetAsync(new Uri(server.Endpoint, "/moto-api/"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("moto_server did not answer within 30 s: " + server.Output);
    }

    /// <summary>Resets moto's state (all services).</summary>
    public async Task ResetAsync()
    {
        using var client = new HttpClient();
        using HttpResponseMessage response = await client.PostAsync(new Uri(Endpoint, "/moto-api/reset"), null);
        response.EnsureSuccessStatusCode();
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

    public static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }
}
