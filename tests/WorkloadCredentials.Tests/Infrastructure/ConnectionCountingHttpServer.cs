using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>
/// A minimal HTTP/1.1 server on a raw loopback socket that answers every request with one fixed 200 JSON body (keep-alive) and
/// counts the connections it accepted and the most that were open at once: the measure of a client that leaks sockets.
/// </summary>
public sealed class ConnectionCountingHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _response;
    private readonly List<Socket> _sockets = [];
    private int _accepted;
    private int _open;
    private int _peakOpen;
    private int _requests;

    public ConnectionCountingHttpServer(string body, string contentType = "application/json")
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        _response = [.. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\n\r\n"), .. bytes];
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = AcceptLoopAsync();
    }

    public Uri Endpoint { get; }

    public int AcceptedConnections => Volatile.Read(ref _accepted);

    public int PeakOpenConnections => Volatile.Read(ref _peakOpen);

    public int Requests => Volatile.Read(ref _requests);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (Socket socket in _sockets)
            {
                socket.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(socket);
                }

                Interlocked.Increment(ref _accepted);
                int open = Interlocked.Increment(ref _open);
                int peak;
                while (open > (peak = Volatile.Read(ref _peakOpen)) && Interlocked.CompareExchange(ref _peakOpen, open, peak) != peak)
                {
                }

                _ = ServeAsync(socket);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        byte[] buffer = new byte[8192];
        int filled = 0;
        try
        {
            while (true)
            {
                int read = await socket.ReceiveAsync(buffer.AsMemory(filled), _stop.Token);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                int end;
                while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) >= 0)
                {
                    // A request with a body (an STS POST) is answered once the whole body is in.
                    int consumed = end + 4 + ContentLength(buffer.AsSpan(0, end));
                    if (consumed > filled)
                    {
                        break;
                    }

                    Interlocked.Increment(ref _requests);
                    await socket.SendAsync(_response, _stop.Token);
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }

                if (filled == buffer.Length)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            socket.Dispose();
        }
    }

    private static int ContentLength(ReadOnlySpan<byte> headers)
    {
        foreach (string line in Encoding.ASCII.GetString(headers).Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line.AsSpan("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
