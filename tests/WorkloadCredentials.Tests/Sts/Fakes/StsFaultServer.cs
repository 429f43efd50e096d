using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
/// An in-process STS stand-in on 127.0.0.1 (Kestrel, a free port) for what moto can't do: throttling, 5xx, hanging, malformed answers,
/// scripted errors. Counts and records every request.
/// </summary>
public sealed class StsFaultServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<StsRecordedRequest> _requests = new();
    private int _count;

    private StsFaultServer(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<StsRecordedRequest> Requests => _requests.ToArray();

    public int CallCount => Volatile.Read(ref _count);

    /// <summary>Starts the server; <paramref name="responder"/> gets each request (0-based index) and returns the reply, or null to hang.</summary>
    public static async Task<StsFaultServer> StartAsync(Func<StsRecordedRequest, CancellationToken, Task<StsReply?>> responder)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var server = new StsFaultServer(app);
        app.Run(async http =>
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
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Endpoint = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    public static Task<StsFaultServer> StartAsync(Func<StsRecordedRequest, StsReply?> responder) =>
        StartAsync((request, _) => Task.FromResult(responder(request)));

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }
}
