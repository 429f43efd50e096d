using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WorkloadCredentials.Benchmarks.Fakes;

/// <summary>
/// One loopback HTTP server that answers as STS (AssumeRoleWithWebIdentity), a container credentials endpoint (<c>/container</c>)
/// and IMDS (token, role list, role credentials) would: credentials with an hour to live. Counts what it answers, and the TCP
/// connections the answers came over (distinct client endpoints).
/// </summary>
internal sealed class LoopbackAwsFake : IDisposable
{
    public const string RoleName = "bench-role";
    public const string ContainerPath = "/container";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly ConcurrentDictionary<IPEndPoint, byte> _connections = new();
    private int _requests;

    public LoopbackAwsFake()
    {
        int port = FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        _listener.Prefixes.Add(BaseUri.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseUri { get; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Gets the number of TCP connections requests arrived on so far.</summary>
    public int Connections => _connections.Count;

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static string CollapseSlashes(string path)
    {
        while (path.Contains("//", StringComparison.Ordinal))
        {
            path = path.Replace("//", "/", StringComparison.Ordinal);
        }

        return path;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Answer(context));
        }
    }

    private void Answer(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        HttpListenerRequest request = context.Request;
        _connections.TryAdd(request.RemoteEndPoint, 0);
        HttpListenerResponse response = context.Response;
        // The AWS SDK joins its IMDS endpoint and paths with a slash of its own: "//latest/api/token" is the same path.
        string path = CollapseSlashes(request.Url?.AbsolutePath ?? "/");
        string expiration = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        string body;
        string contentType = "application/json";
        if (request.HttpMethod == "POST")
        {
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            _ = reader.ReadToEnd();
            contentType = "text/xml";
            body = $"""
                <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleWithWebIdentityResult>
                    <SubjectFromWebIdentityToken>system:serviceaccount:default:app</SubjectFromWebIdentityToken>
                    <Audience>sts.amazonaws.com</Audience>
                    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/{RoleName}/bench</Arn><AssumedRoleId>AROAEXAMPLE:bench</AssumedRoleId></AssumedRoleUser>
                    <Credentials>
                      <AccessKeyId>ASIAFAKESTS</AccessKeyId><SecretAccessKey>fake-sts-secret</SecretAccessKey><SessionToken>fake-sts-token</SessionToken>
                      <Expiration>{expiration}</Expiration>
                    </Credentials>
                    <Provider>arn:aws:iam::123456789012:oidc-provider/oidc.eks.example</Provider>
                  </AssumeRoleWithWebIdentityResult>
                  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000001</RequestId></ResponseMetadata>
                </AssumeRoleWithWebIdentityResponse>
                """;
        }
        else if (request.HttpMethod == "PUT" && path == "/latest/api/token")
        {
            contentType = "text/plain";
            response.AddHeader("x-aws-ec2-metadata-token-ttl-seconds", "21600");
            body = "fake-imds-session";
        }
        else if (path == "/latest/meta-data/iam/security-credentials/" || path == "/latest/meta-data/iam/security-credentials-extended/")
        {
            contentType = "text/plain";
            body = RoleName;
        }
        else if (path == "/latest/meta-data/iam/info")
        {
            body = $$"""{"Code":"Success","LastUpdated":"{{expiration}}","InstanceProfileArn":"arn:aws:iam::123456789012:instance-profile/{{RoleName}}","InstanceProfileId":"AIPAEXAMPLE"}""";
        }
        else if (path.StartsWith("/latest/meta-data/iam/security-credentials", StringComparison.Ordinal) || path == ContainerPath)
        {
            body = $$"""{"Code":"Success","LastUpdated":"{{expiration}}","Type":"AWS-HMAC","AccessKeyId":"ASIAFAKEHOST","SecretAccessKey":"fake-host-secret","Token":"fake-host-token","Expiration":"{{expiration}}","AccountId":"123456789012"}""";
        }
        else
        {
            response.StatusCode = 404;
            body = string.Empty;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(body);
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }
}
