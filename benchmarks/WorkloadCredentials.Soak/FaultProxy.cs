using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace WorkloadCredentials.Soak;

/// <summary>
/// A TCP proxy on a loopback port in front of the fake credential endpoints. The HTTP faults (throttling, 500s, hanging) are
/// answered by the fake itself, per request, because the app keeps its connections open; this proxy does what HTTP cannot: in
/// <see cref="FaultMode.Refused"/> nothing listens on the port (connection refused) and in <see cref="FaultMode.Reset"/> every
/// connection is accepted and reset at once. Entering either resets the connections already open (RST, not FIN).
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly IPEndPoint _upstream;
    private readonly RefreshActivity _activity;
    private readonly ConcurrentDictionary<Socket, Socket> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly object _lock = new();
    private Socket? _listener;
    private volatile bool _resetOnArrival;
    private int _resetOnArrivalCount;

    public FaultProxy(IPEndPoint upstream, RefreshActivity activity)
    {
        _upstream = upstream;
        _activity = activity;
        // Bind once to learn a free port; the same port is bound again whenever the proxy comes back up.
        _listener = Listen(0);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _ = AcceptLoopAsync(_listener);
    }

    public int Port { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    /// <summary>Gets how many open connections were reset on entering a down mode.</summary>
    public int ResetConnections { get; private set; }

    /// <summary>Gets how many new connections were accepted and reset at once (<see cref="FaultMode.Reset"/>).</summary>
    public int ResetOnArrival => Volatile.Read(ref _resetOnArrivalCount);

    public void Apply(FaultMode mode)
    {
        lock (_lock)
        {
            bool wasResetting = _resetOnArrival;
            _resetOnArrival = mode == FaultMode.Reset;
            if (mode == FaultMode.Refused && _listener is { } listening)
            {
                _listener = null;
                listening.Close();
            }
            else if (mode != FaultMode.Refused && _listener is null)
            {
                _listener = Listen(Port);
                _ = AcceptLoopAsync(_listener);
            }

            if ((mode is FaultMode.Refused or FaultMode.Reset) && !wasResetting)
            {
                foreach (Socket client in _open.Keys)
                {
                    ResetConnections++;
                    Reset(client);
                }
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        lock (_lock)
        {
            _listener?.Close();
            _listener = null;
        }

        foreach ((Socket client, Socket upstream) in _open)
        {
            client.Dispose();
            upstream.Dispose();
        }

        _stop.Dispose();
        return ValueTask.CompletedTask;
    }

    private static Socket Listen(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        socket.Listen(128);
        return socket;
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0); // close with RST
            socket.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // closed: refused mode or shutdown
            }

            if (_resetOnArrival)
            {
                _activity.Blip();
                Interlocked.Increment(ref _resetOnArrivalCount);
                Reset(client);
                continue;
            }

            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(Socket client)
    {
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await upstream.ConnectAsync(_upstream, _stop.Token);
            _open[client] = upstream;
            using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            Task up = CopyAsync(client, upstream, done.Token);
            Task down = CopyAsync(upstream, client, done.Token);
            await Task.WhenAny(up, down);
            await done.CancelAsync();
            await Task.WhenAll(up, down);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            _open.TryRemove(client, out _);
            client.Dispose();
            upstream.Dispose();
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }
}
