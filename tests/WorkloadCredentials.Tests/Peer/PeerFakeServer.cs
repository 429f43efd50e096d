using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.Peer;

/// <summary>
/// One deterministic loopback fake of the three AWS endpoints a credential chain calls: instance metadata (IMDSv2 token, role
/// listing, legacy and extended credentials, placement), the container endpoint (<c>GET /container/creds</c>, keys derived from
/// the Authorization header), STS (<c>POST /</c>, AssumeRole and AssumeRoleWithWebIdentity, keys derived from the request by
/// <see cref="PeerKeys"/>) and the IAM Identity Center portal (<c>GET /federation/credentials</c>, GetRoleCredentials, keys derived
/// from the account, the role and the bearer token). One Kestrel server listens on 127.0.0.1 on one port per slot; a slot is one peer resolving one
/// environment, with its own faults, counters and request log.
/// </summary>
internal sealed class PeerFakeServer : IAsyncDisposable
{
    public const string ImdsRole = "peer-instance-role";
    public const string ContainerPath = "/container/creds";
    public const string SsoPortalPath = "/federation/credentials";
    private const string ImdsToken = "peer-imds-session-token";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, Slot> _slots = new();
    private readonly int[] _ports;

    private PeerFakeServer(WebApplication app, int[] ports)
    {
        _app = app;
        _ports = ports;
    }

    public int SlotCount => _ports.Length;

    public static async Task<PeerFakeServer> StartAsync(int slots, CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options =>
        {
            for (int i = 0; i < slots; i++)
            {
                options.Listen(IPAddress.Loopback, 0);
            }
        });
        WebApplication app = builder.Build();
        PeerFakeServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync(cancellationToken);
        int[] ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(address => new Uri(address))
            .Select(uri => IPAddress.IsLoopback(IPAddress.Parse(uri.Host)) ? uri.Port : throw new InvalidOperationException("The fake listens on loopback only: " + uri))
            .ToArray();
        server = new PeerFakeServer(app, ports);
        return server;
    }

    /// <summary>Arms slot <paramref name="index"/> with an environment's faults and returns its endpoint (no trailing slash).</summary>
    public string Arm(int index, PeerFaults faults)
    {
        int port = _ports[index];
        _slots[port] = new Slot(faults);
        return string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
    }

    /// <summary>Every request slot <paramref name="index"/> received: method and path.</summary>
    public IReadOnlyList<string> Requests(int index) => _slots.TryGetValue(_ports[index], out Slot? slot) ? slot.Requests.ToArray() : [];

    /// <summary>Kestrel's dispose stops at once, aborting any request still held (a slow IMDS answer nobody waits for any more).</summary>
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext http)
    {
        if (!_slots.TryGetValue(http.Connection.LocalPort, out Slot? slot))
        {
            http.Response.StatusCode = 421;
            return;
        }

        string path = http.Request.Path.Value ?? "/";
        slot.Requests.Enqueue(http.Request.Method + " " + path);
        CancellationToken aborted = http.RequestAborted;
        if (path.StartsWith("/latest/", StringComparison.Ordinal))
        {
            await ImdsAsync(http, slot, path, aborted);
        }
        else if (path == ContainerPath && HttpMethods.IsGet(http.Request.Method))
        {
            Container(http, slot, out string body);
            await http.Response.WriteAsync(body, aborted);
        }
        else if (path == "/" && HttpMethods.IsPost(http.Request.Method))
        {
            await StsAsync(http, slot, aborted);
        }
        else if (path == SsoPortalPath && HttpMethods.IsGet(http.Request.Method))
        {
            SsoPortal(http, out string body);
            await http.Response.WriteAsync(body, aborted);
        }
        else
        {
            http.Response.StatusCode = 404;
        }
    }

    private static async Task ImdsAsync(HttpContext http, Slot slot, string path, CancellationToken aborted)
    {
        PeerFaults faults = slot.Faults;
        bool isToken = path == "/latest/api/token";
        if (faults.ImdsDelay > TimeSpan.Zero && (isToken || !faults.ImdsDelayTokenOnly))
        {
            try
            {
                await Task.Delay(faults.ImdsDelay, aborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (isToken)
        {
            if (!HttpMethods.IsPut(http.Request.Method) || !http.Request.Headers.ContainsKey("X-aws-ec2-metadata-token-ttl-seconds"))
            {
                http.Response.StatusCode = 400;
                return;
            }

            http.Response.StatusCode = faults.ImdsTokenStatus is 0 ? 200 : faults.ImdsTokenStatus;
            if (faults.ImdsTokenStatus is 0)
            {
                http.Response.Headers["X-aws-ec2-metadata-token-ttl-seconds"] = "21600";
                await http.Response.WriteAsync(ImdsToken, aborted);
            }

            return;
        }

        string? token = http.Request.Headers["X-aws-ec2-metadata-token"].FirstOrDefault();
        if (token is not null && token != ImdsToken)
        {
            http.Response.StatusCode = 401;
            return;
        }

        if (Interlocked.Increment(ref slot.ImdsGets) <= faults.ImdsFailures)
        {
            http.Response.StatusCode = faults.ImdsStatus;
            return;
        }

        string? answer = path switch
        {
            "/latest/meta-data/iam/security-credentials/" or "/latest/meta-data/iam/security-credentials-extended/" => ImdsRole,
            "/latest/meta-data/iam/security-credentials/" + ImdsRole => CredentialsJson(PeerKeys.Imds(ImdsRole), accountId: false),
            "/latest/meta-data/iam/security-credentials-extended/" + ImdsRole => CredentialsJson(PeerKeys.Imds(ImdsRole), accountId: true),
            "/latest/meta-data/placement/region" => "us-east-1",
            "/latest/meta-data/placement/availability-zone" or "/latest/meta-data/placement/availability-zone/" => "us-east-1a",
            _ => null,
        };
        http.Response.StatusCode = answer is null ? 404 : 200;
        if (answer is not null)
        {
            await http.Response.WriteAsync(answer, aborted);
        }
    }

    private static void Container(HttpContext http, Slot slot, out string body)
    {
        if (Interlocked.Increment(ref slot.ContainerGets) <= slot.Faults.ContainerFailures)
        {
            http.Response.StatusCode = slot.Faults.ContainerStatus;
            body = """{"code":"InternalError","message":"fault injected"}""";
            return;
        }

        string? authorization = http.Request.Headers.Authorization.Count > 0 ? http.Request.Headers.Authorization.ToString() : null;
        http.Response.ContentType = "application/json";
        body = CredentialsJson(PeerKeys.Container(authorization), accountId: false);
    }

    private static void SsoPortal(HttpContext http, out string body)
    {
        http.Response.ContentType = "application/json";
        string accountId = http.Request.Query["account_id"].ToString();
        string roleName = http.Request.Query["role_name"].ToString();
        string bearer = http.Request.Headers["x-amz-sso_bearer_token"].ToString();
        if (accountId.Length == 0 || roleName.Length == 0 || bearer.Length == 0)
        {
            http.Response.StatusCode = 401;
            http.Response.Headers["x-amzn-ErrorType"] = "UnauthorizedException";
            body = """{"message":"the fake needs account_id, role_name and a bearer token"}""";
            return;
        }

        PeerCredentials issued = PeerKeys.Sso(accountId, roleName, bearer);
        long expiration = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["roleCredentials"] = new Dictionary<string, object>
            {
                ["accessKeyId"] = issued.AccessKeyId,
                ["secretAccessKey"] = issued.SecretAccessKey,
                ["sessionToken"] = issued.SessionToken!,
                ["expiration"] = expiration,
            },
        });
    }

    private static async Task StsAsync(HttpContext http, Slot slot, CancellationToken aborted)
    {
        IFormCollection form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(aborted) : FormCollection.Empty;
        slot.Requests.Enqueue("  form: " + string.Join("&", form.Keys.Order(StringComparer.Ordinal).Select(key => key is "WebIdentityToken" ? key : $"{key}={form[key]}")));
        http.Response.ContentType = "text/xml";
        if (Interlocked.Increment(ref slot.StsCalls) <= slot.Faults.StsFailures)
        {
            http.Response.StatusCode = slot.Faults.StsStatus;
            await http.Response.WriteAsync(StsXml.Error(slot.Faults.StsCode, "fault injected", slot.Faults.StsStatus >= 500 ? "Receiver" : "Sender"), aborted);
            return;
        }

        string action = form["Action"].ToString();
        string roleArn = form["RoleArn"].ToString();
        if (action is not ("AssumeRole" or "AssumeRoleWithWebIdentity") || roleArn.Length == 0)
        {
            http.Response.StatusCode = 400;
            await http.Response.WriteAsync(StsXml.Error("InvalidAction", "the fake serves AssumeRole and AssumeRoleWithWebIdentity with a RoleArn"), aborted);
            return;
        }

        string? authorization = http.Request.Headers.Authorization.FirstOrDefault();
        string? caller = CallerAccessKeyId(authorization);
        PeerCredentials issued = PeerKeys.Sts(
            action,
            roleArn,
            NonEmpty(form["ExternalId"]),
            NonEmpty(form["RoleSessionName"]),
            caller,
            caller is null ? null : http.Request.Headers["X-Amz-Security-Token"].FirstOrDefault(),
            NonEmpty(form["WebIdentityToken"]),
            int.TryParse(form["DurationSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out int duration) ? duration : null);
        DateTimeOffset expiration = DateTimeOffset.UtcNow.AddHours(1);
        await http.Response.WriteAsync(
            action == "AssumeRole"
                ? StsXml.AssumeRole(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken!, expiration)
                : StsXml.AssumeRoleWithWebIdentity(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken!, expiration),
            aborted);
    }

    /// <summary>The access key id of a SigV4 Authorization header (<c>Credential=AKID/date/region/sts/aws4_request</c>).</summary>
    private static string? CallerAccessKeyId(string? authorization)
    {
        const string marker = "Credential=";
        int start = authorization?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        int end = authorization!.IndexOf('/', start);
        return end > start ? authorization[start..end] : null;
    }

    private static string? NonEmpty(Microsoft.Extensions.Primitives.StringValues value) => value.Count > 0 && value[0] is { Length: > 0 } text ? text : null;

    private static string CredentialsJson(PeerCredentials credentials, bool accountId)
    {
        var document = new Dictionary<string, string>
        {
            ["Code"] = "Success",
            ["LastUpdated"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["Type"] = "AWS-HMAC",
            ["AccessKeyId"] = credentials.AccessKeyId,
            ["SecretAccessKey"] = credentials.SecretAccessKey,
            ["Token"] = credentials.SessionToken!,
            ["Expiration"] = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        if (accountId)
        {
            document["AccountId"] = StsXml.AccountId;
        }

        return JsonSerializer.Serialize(document);
    }

    private sealed class Slot(PeerFaults faults)
    {
        public int ImdsGets;
        public int ContainerGets;
        public int StsCalls;

        public PeerFaults Faults { get; } = faults;

        public ConcurrentQueue<string> Requests { get; } = new();
    }
}
