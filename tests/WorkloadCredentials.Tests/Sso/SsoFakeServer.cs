using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.Sso;

/// <summary>
/// One loopback Kestrel server playing the IAM Identity Center portal (<c>GET /federation/credentials</c>), SSO OIDC
/// (<c>POST /token</c>) and STS (<c>POST /</c>, AssumeRole): answers set per test, every call recorded with what it carried.
/// </summary>
internal sealed class SsoFakeServer : IAsyncDisposable
{
    public const string RoleAccessKeyId = "ASIASSOFAKE000000001";
    public const string RoleSecret = "sso-role-SECRET-do-not-log";
    public const string RoleSessionToken = "sso-role-SESSION-do-not-log";
    public const long RoleExpirationMs = 1_893_456_000_000; // 2030-01-01T00:00:00Z

    private readonly ConcurrentQueue<string> _tokenBodies = new();
    private readonly ConcurrentQueue<string> _stsBodies = new();
    private LoopbackHttpServer _server = null!;
    private int _createTokenCalls;
    private int _portalCalls;

    /// <summary>Gets or sets the portal's status (200 answers role credentials; 401, 403 and 500 answer as the service does).</summary>
    public int PortalStatus { get; set; } = 200;

    /// <summary>Gets or sets the bearer token the portal accepts; another one gets 401.</summary>
    public string AcceptedAccessToken { get; set; } = "access-TOKEN-do-not-log";

    /// <summary>Gets or sets the status of CreateToken (200 answers <see cref="NewAccessToken"/>; 400 is InvalidGrantException).</summary>
    public int CreateTokenStatus { get; set; } = 200;

    /// <summary>Gets or sets how long CreateToken takes to answer.</summary>
    public TimeSpan CreateTokenDelay { get; set; } = TimeSpan.Zero;

    public string NewAccessToken { get; set; } = "refreshed-access-TOKEN-do-not-log";

    public string NewRefreshToken { get; set; } = "refreshed-refresh-TOKEN-do-not-log";

    public int ExpiresInSeconds { get; set; } = 28_800;

    public Uri Endpoint => _server.Endpoint;

    public int CreateTokenCalls => Volatile.Read(ref _createTokenCalls);

    public int PortalCalls => Volatile.Read(ref _portalCalls);

    public IReadOnlyList<string> TokenBodies => _tokenBodies.ToArray();

    public IReadOnlyList<string> StsBodies => _stsBodies.ToArray();

    public IReadOnlyList<RecordedRequest> Requests => _server.Requests;

    public static async Task<SsoFakeServer> StartAsync()
    {
        var fake = new SsoFakeServer();
        fake._server = await LoopbackHttpServer.StartAsync(fake.HandleAsync, TestContext.Current.CancellationToken);
        return fake;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? string.Empty;
        using var reader = new StreamReader(context.Request.Body);
        string body = await reader.ReadToEndAsync();
        if (path == "/federation/credentials")
        {
            Interlocked.Increment(ref _portalCalls);
            await PortalAsync(context);
        }
        else if (path == "/token")
        {
            Interlocked.Increment(ref _createTokenCalls);
            _tokenBodies.Enqueue(body);
            await Task.Delay(CreateTokenDelay);
            await CreateTokenAsync(context);
        }
        else
        {
            _stsBodies.Enqueue(body);
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync(StsXml.AssumeRole("ASIACHAINED000000001", "chained-SECRET-do-not-log", "chained-TOKEN", new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), "arn:aws:sts::210987654321:assumed-role/top/session"));
        }
    }

    private Task PortalAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        if (context.Request.Headers["x-amz-sso_bearer_token"].ToString() != AcceptedAccessToken || PortalStatus == 401)
        {
            return Error(context, 401, "UnauthorizedException", "Session token not found or invalid");
        }

        return PortalStatus switch
        {
            403 => Error(context, 403, "ForbiddenException", "No access"),
            500 => Error(context, 500, "InternalServerException", "Internal error"),
            _ => context.Response.WriteAsync(
                $$$"""{"roleCredentials":{"accessKeyId":"{{{RoleAccessKeyId}}}","secretAccessKey":"{{{RoleSecret}}}","sessionToken":"{{{RoleSessionToken}}}","expiration":{{{RoleExpirationMs}}}}}"""),
        };
    }

    private Task CreateTokenAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        return CreateTokenStatus == 200
            ? context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["accessToken"] = NewAccessToken,
                ["expiresIn"] = ExpiresInSeconds,
                ["refreshToken"] = NewRefreshToken,
                ["tokenType"] = "Bearer",
            }))
            : Error(context, CreateTokenStatus, "InvalidGrantException", "Invalid grant provided");
    }

    private static Task Error(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-amzn-ErrorType"] = type;
        return context.Response.WriteAsync($$"""{"message":"{{message}}","error":"{{type}}","error_description":"{{message}}"}""");
    }
}
