using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BackupUploader.Local;

/// <summary>
/// Starts <c>moto_server</c> (a third-party AWS emulator: STS, IAM, S3, KMS and an instance metadata endpoint) on a free
/// loopback port and stops it, with its process tree, on dispose. Nothing it serves leaves the machine.
/// </summary>
internal sealed class MotoLauncher : IAsyncDisposable
{
    public const string InstallHint =
        "Local mode runs the AWS emulator moto, and moto_server was not found on PATH. Install it with: pip install \"moto[server]\" " +
        "(moto 5, needs Python 3), then run again; or pass --bucket to upload to real S3 with your own credentials.";

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private MotoLauncher(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>Gets the emulator's loopback endpoint, e.g. http://127.0.0.1:41234.</summary>
    public Uri Endpoint { get; }

    /// <summary>Gets the emulator's process id.</summary>
    public int ProcessId => _process.Id;

    public static async Task<MotoLauncher> StartAsync(CancellationToken cancellationToken)
    {
        // Bind port 0 to let the OS pick a free loopback port, release it, and start moto there (retry if another process took it).
        for (int attempt = 1; ; attempt++)
        {
            int port = GetFreeLoopbackPort();
            var startInfo = new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };

            // The emulator must not see real AWS settings.
            foreach (string key in startInfo.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
            {
                startInfo.Environment.Remove(key);
            }

            startInfo.Environment["AWS_DEFAULT_REGION"] = LocalAwsEnvironment.Region;
            Process process;
            try
            {
                process = Process.Start(startInfo) ?? throw new UploaderException(InstallHint, ExitCodes.Emulator);
            }
            catch (Win32Exception ex)
            {
                throw new UploaderException(InstallHint, ExitCodes.Emulator, ex);
            }

            var moto = new MotoLauncher(process, new Uri($"http://127.0.0.1:{port}"));
            process.OutputDataReceived += (_, e) => moto.Append(e.Data);
            process.ErrorDataReceived += (_, e) => moto.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                if (await moto.WaitUntilReadyAsync(cancellationToken))
                {
                    return moto;
                }
            }
            catch
            {
                await moto.DisposeAsync();
                throw;
            }

            await moto.DisposeAsync();
            if (attempt == 3)
            {
                throw new UploaderException($"moto_server did not start (3 attempts). Its last output: {moto.Log.Trim()}", ExitCodes.Emulator);
            }
        }
    }

    /// <summary>
    /// Turns on moto's signature and IAM policy checks after <paramref name="freeActions"/> more requests. From then on every
    /// request must be signed by credentials moto issued, and the role's policy must allow it.
    /// </summary>
    public async Task EnableAuthenticationAsync(int freeActions, CancellationToken cancellationToken)
    {
        using var client = new HttpClient();
        using var content = new StringContent(freeActions.ToString(CultureInfo.InvariantCulture));
        using HttpResponseMessage response = await client.PostAsync(new Uri(Endpoint, "/moto-api/reset-auth"), content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
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
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or Win32Exception)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        long started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                return false; // most likely the port was taken in the meantime
            }

            try
            {
                using HttpResponseMessage response = await client.GetAsync(new Uri(Endpoint, "/moto-api/"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        return false;
    }

    private static int GetFreeLoopbackPort()
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

        lock (_log)
        {
            if (_log.Length < 16 * 1024)
            {
                _log.AppendLine(line);
            }
        }
    }
}
