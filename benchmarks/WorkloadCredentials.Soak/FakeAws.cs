using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace WorkloadCredentials.Soak;

/// <summary>
/// In-process Kestrel on two loopback ports. The credential port answers as STS (AssumeRoleWithWebIdentity) and IMDS (token, role,
/// credentials), with the HTTP faults of the current <see cref="FaultMode"/>; it sits behind the <see cref="FaultProxy"/>. The S3
/// port answers ListObjectsV2 when the request carries the access key id and session token of a set that was handed out and has
/// not expired, and rejects it otherwise (so serving expired or mixed credentials shows up as a failed request).
/// </summary>
internal sealed partial class FakeAws : IAsyncDisposable
{
    public const string RoleName = "soak-role";
    public const string RoleArn = "arn:aws:iam::111122223333:role/" + RoleName;

    private readonly WebApplication _app;
    private readonly IssuedCredentials _issued;
    private readonly RefreshActivity _activity;
    private readonly CancellationTokenSource _stopping = new();
    private readonly int[] _credentialRequestsByMode = new int[Enum.GetValues<FaultMode>().Length];
    private volatile FaultMode _mode = FaultMode.Healthy;
    private int _credentialsServed;
    private int _s3Accepted;
    private int _s3Rejected;

    private FakeAws(WebApplication app, IssuedCredentials issued, RefreshActivity activity)
    {
        _app = app;
        _issued = issued;
        _activity = activity;
    }

    public int CredentialPort { get; private init; }

    public int S3Port { get; private init; }

    public FaultMode Mode
    {
        get => _mode;
        set => _mode = value;
    }

    /// <summary>Gets how many credential sets were handed out (first fetch and refreshes).</summary>
    public int CredentialsServed => Volatile.Read(ref _credentialsServed);

    public int S3Accepted => Volatile.Read(ref _s3Accepted);

    public int S3Rejected => Volatile.Read(ref _s3Rejected);

    /// <summary>Gets how many requests reached the credential endpoints in each mode (index: <see cref="FaultMode"/>).</summary>
    public int RequestsIn(FaultMode mode) => Volatile.Read(ref _credentialRequestsByMode[(int)mode]);

    public static async Task<FakeAws> StartAsync(IssuedCredentials issued, RefreshActivity activity)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        int credentialPort = FreePort();
        int s3Port = FreePort();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, credentialPort);
            kestrel.Listen(IPAddress.Loopback, s3Port);
        });
        WebApplication app = builder.Build();
        var fake = new FakeAws(app, issued, activity) { CredentialPort = credentialPort, S3Port = s3Port };
        app.Run(fake.AnswerAsync);
        await app.StartAsync();
        return fake;
    }

    public static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task WriteAsync(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    [GeneratedRegex(@"Credential=([A-Z0-9]+)/")]
    private static partial Regex CredentialScope();

    private Task AnswerAsync(HttpContext context) =>
        context.Connection.LocalPort == S3Port ? AnswerS3Async(context) : AnswerCredentialsAsync(context);

    private async Task AnswerCredentialsAsync(HttpContext context)
    {
        FaultMode mode = _mode;
        Interlocked.Increment(ref _credentialRequestsByMode[(int)mode]);
        _activity.Begin();
        try
        {
            bool sts = HttpMethods.IsPost(context.Request.Method);
            switch (mode)
            {
                case FaultMode.Throttling when sts:
                    await WriteAsync(context, 400, "text/xml", StsError("Sender", "Throttling", "Rate exceeded"));
                    return;
                case FaultMode.Throttling:
                    await WriteAsync(context, 429, "text/plain", "Too Many Requests");
                    return;
                case FaultMode.ServerError:
                    await WriteAsync(context, 500, "text/xml", StsError("Receiver", "InternalFailure", "An internal error occurred."));
                    return;
                case FaultMode.Hanging:
                    // Accept and never answer: until the app gives up (its timeout) or the soak ends.
                    using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                    {
                        await Task.Delay(Timeout.Infinite, linked.Token).ContinueWith(static _ => { }, TaskScheduler.Default);
                    }

                    context.Abort();
                    return;
                case FaultMode.Refused or FaultMode.Reset:
                    // The proxy turned it away; a request already past it when the mode changed is cut off here.
                    context.Abort();
                    return;
            }

            await (sts ? AnswerStsAsync(context) : AnswerImdsAsync(context));
        }
        finally
        {
            _activity.End();
        }
    }

    private async Task AnswerStsAsync(HttpContext context)
    {
        IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!string.Equals(form["Action"], "AssumeRoleWithWebIdentity", StringComparison.Ordinal) || !string.Equals(form["RoleArn"], RoleArn, StringComparison.Ordinal))
        {
            await WriteAsync(context, 400, "text/xml", StsError("Sender", "InvalidAction", "Only AssumeRoleWithWebIdentity for the soak role."));
            return;
        }

        IssuedCredentials.Issued issued = _issued.Issue();
        Interlocked.Increment(ref _credentialsServed);
        await WriteAsync(context, 200, "text/xml", $"""
            <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleWithWebIdentityResult>
                <SubjectFromWebIdentityToken>system:serviceaccount:soak:webapi</SubjectFromWebIdentityToken>
                <Audience>sts.amazonaws.com</Audience>
                <AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/{RoleName}/soak</Arn><AssumedRoleId>AROASOAKEXAMPLE:soak</AssumedRoleId></AssumedRoleUser>
                <Credentials>
                  <AccessKeyId>{issued.AccessKeyId}</AccessKeyId><SecretAccessKey>{issued.SecretAccessKey}</SecretAccessKey><SessionToken>{issued.SessionToken}</SessionToken>
                  <Expiration>{Iso(issued.Expiration)}</Expiration>
                </Credentials>
                <Provider>arn:aws:iam::111122223333:oidc-provider/oidc.soak.example</Provider>
              </AssumeRoleWithWebIdentityResult>
              <ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata>
            </AssumeRoleWithWebIdentityResponse>
            """);
    }

    private async Task AnswerImdsAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        while (path.Contains("//", StringComparison.Ordinal))
        {
            path = path.Replace("//", "/", StringComparison.Ordinal);
        }

        if (HttpMethods.IsPut(context.Request.Method) && path == "/latest/api/token")
        {
            context.Response.Headers["x-aws-ec2-metadata-token-ttl-seconds"] = "21600";
            await WriteAsync(context, 200, "text/plain", "soak-imds-session-token");
        }
        else if (path is "/latest/meta-data/iam/security-credentials/" or "/latest/meta-data/iam/security-credentials-extended/")
        {
            await WriteAsync(context, 200, "text/plain", RoleName);
        }
        else if (path is "/latest/meta-data/iam/security-credentials/" + RoleName or "/latest/meta-data/iam/security-credentials-extended/" + RoleName)
        {
            IssuedCredentials.Issued issued = _issued.Issue();
            Interlocked.Increment(ref _credentialsServed);
            await WriteAsync(context, 200, "application/json", $$"""
                {"Code":"Success","LastUpdated":"{{Iso(issued.Expiration.AddHours(-1))}}","Type":"AWS-HMAC","AccessKeyId":"{{issued.AccessKeyId}}","SecretAccessKey":"{{issued.SecretAccessKey}}","Token":"{{issued.SessionToken}}","Expiration":"{{Iso(issued.Expiration)}}","AccountId":"111122223333"}
                """);
        }
        else if (path == "/latest/meta-data/placement/region")
        {
            await WriteAsync(context, 200, "text/plain", "us-east-1");
        }
        else
        {
            await WriteAsync(context, 404, "text/plain", "Not Found");
        }
    }

    private async Task AnswerS3Async(HttpContext context)
    {
        string? authorization = context.Request.Headers.Authorization;
        Match scope = CredentialScope().Match(authorization ?? string.Empty);
        string? error = _issued.Check(scope.Success ? scope.Groups[1].Value : null, context.Request.Headers["X-Amz-Security-Token"]);
        if (error is not null)
        {
            Interlocked.Increment(ref _s3Rejected);
            await WriteAsync(context, 403, "application/xml", $"""
                <?xml version="1.0" encoding="UTF-8"?>
                <Error><Code>{error}</Code><Message>The soak's fake S3 rejected the credentials.</Message><RequestId>soak</RequestId></Error>
                """);
            return;
        }

        Interlocked.Increment(ref _s3Accepted);
        string bucket = context.Request.Path.Value?.Trim('/') ?? "soak";
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>{bucket}</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>20</MaxKeys><IsTruncated>false</IsTruncated>""");
        foreach (string key in new[] { "backups/one.tar.gz", "backups/two.tar.gz" })
        {
            body.Append(CultureInfo.InvariantCulture, $"""<Contents><Key>{key}</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"0123456789abcdef"</ETag><Size>1024</Size><StorageClass>STANDARD</StorageClass></Contents>""");
        }

        body.Append("</ListBucketResult>");
        await WriteAsync(context, 200, "application/xml", body.ToString());
    }

    private static string StsError(string type, string code, string message) => $"""
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>{type}</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>{Guid.NewGuid()}</RequestId></ErrorResponse>
        """;
}
