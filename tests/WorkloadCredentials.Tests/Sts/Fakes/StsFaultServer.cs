using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Sts.Fakes;

/// <summary>A request the fault server received: the form fields and the Authorization header.</summary>
public sealed record StsRecordedRequest(int Index, IReadOnlyDictionary<string, string> Form, string? Authorization, string? SecurityToken = null)
{
    public string Action => Form.GetValueOrDefault("Action", string.Empty);
}

/// <summary>What the fault server answers: a status and an XML body, after an optional (real-time) delay; a null reply hangs until the client gives up.</summary>
public sealed record StsReply(int Status, string Body)
{
    public static StsReply Ok(string body) => new(200, body);

    public static StsReply Error(int status, string code, string message = "fault injected", string type = "Sender") => new(status, StsXml.Error(code, message, type));
}

/// <summary>
/// An in-process STS stand-in on 127.0.0.1 (a <see cref="LoopbackHttpServer"/>) for what moto can't do: throttling, 5xx, hanging,
/// malformed answers, scripted errors. Counts and records every request with its form fields.
/// </summary>
public sealed class StsFaultServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<StsRecordedRequest> _requests = new();
    private LoopbackHttpServer _server = null!;
    private int _count;

    private StsFaultServer()
    {
    }

    public Uri Endpoint => _server.Endpoint;

    public IReadOnlyList<StsRecordedRequest> Requests => _requests.ToArray();

    public int CallCount => Volatile.Read(ref _count);

    /// <summary>Starts the server; <paramref name="responder"/> gets each request (0-based index) and returns the reply, or null to hang.</summary>
    public static async Task<StsFaultServer> StartAsync(Func<StsRecordedRequest, CancellationToken, Task<StsReply?>> responder)
    {
        var server = new StsFaultServer();
        server._server = await LoopbackHttpServer.StartAsync(async http =>
        {
            IFormCollection form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
            int index = Interlocked.Increment(ref server._count) - 1;
            var recorded = new StsRecordedRequest(
                index,
                form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal),
                http.Request.Headers.Authorization.Count > 0 ? http.Request.Headers.Authorization.ToString() : null,
                http.Request.Headers.TryGetValue("X-Amz-Security-Token", out var securityToken) ? securityToken.ToString() : null);
            server._requests.Enqueue(recorded);
            StsReply? reply = await responder(recorded, http.RequestAborted);
            if (reply is null)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            http.Response.StatusCode = reply.Status;
            http.Response.ContentType = "text/xml";
            await http.Response.WriteAsync(reply.Body, http.RequestAborted);
        });
        return server;
    }

    public static Task<StsFaultServer> StartAsync(Func<StsRecordedRequest, StsReply?> responder) =>
        StartAsync((request, _) => Task.FromResult(responder(request)));

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
