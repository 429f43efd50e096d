using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>A raw loopback TCP listener that accepts connections and never writes a byte: the "hung service" fault.</summary>
public sealed class NeverAnsweringListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<Socket> _accepted = new();
    private readonly CancellationTokenSource _stop = new();

    public NeverAnsweringListener()
    {
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _ = AcceptLoopAsync();
    }

    public Uri Endpoint { get; }

    public int AcceptedCount => _accepted.Count;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (Socket socket in _accepted)
        {
            socket.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                _accepted.Add(await _listener.AcceptSocketAsync(_stop.Token));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
