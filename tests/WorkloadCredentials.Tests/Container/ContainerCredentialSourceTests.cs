using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using WorkloadCredentials.Container;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.Container;

/// <summary>
/// The container credentials source (ECS task roles, EKS Pod Identity) against loopback Kestrel servers: the document,
/// the authorization token (file re-read at every call, environment, CR/LF rejected), disallowed hosts, retries of 5xx,
/// 4xx, malformed JSON, connection refused and a hanging endpoint. No secret ever reaches a message or a log.
/// </summary>
public sealed class ContainerCredentialSourceTests : IDisposable
{
    private const string AccessKeyId = "ASIACONTAINERKEY0001";
    private const string SecretAccessKey = "container-SECRET-key-do-not-log";
    private const string SessionToken = "container-SESSION-token-do-not-log";
    private const string AuthorizationToken = "eks-AUTH-token-do-not-log";

    private readonly HostSourceTestContext _context = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("wc-container-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task GetCredentialsAsync_FullUriWithTokenFile_ParsesDocumentAndSendsToken()
    {
        await using LoopbackHttpServer server = await StartAsync();
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = new Uri(server.Endpoint, "/v1/credentials?a=1").ToString();
        _context.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = WriteTokenFile(AuthorizationToken + "\n");
        ContainerCredentialSource source = CreateSut();

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(AccessKeyId, credentials.AccessKeyId);
        Assert.Equal(SecretAccessKey, credentials.SecretAccessKey);
        Assert.Equal(SessionToken, credentials.SessionToken);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), credentials.Expiration);
        Assert.Equal("123456789012", credentials.AccountId);
        Assert.Equal("arn:aws:iam::123456789012:role/pod-role", credentials.RoleArn);
        Assert.Equal("Container", credentials.SourceName);
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1/credentials?a=1", request.PathAndQuery);
        Assert.Equal(AuthorizationToken, request.Header("Authorization"));
        AssertNoSecret(_context.AllLogText());
        AssertNoSecret(credentials.ToString());
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenFileRotated_NewTokenSentNextCall()
    {
        await using LoopbackHttpServer server = await StartAsync();
        string file = WriteTokenFile("token-one");
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.Endpoint.ToString();
        _context.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = file;
        ContainerCredentialSource source = CreateSut();

        await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(file, "token-two", TestContext.Current.CancellationToken);
        await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["token-one", "token-two"], server.Requests.Select(r => r.Header("Authorization")));
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenFromEnvironment_SentWhenNoFile()
    {
        await using LoopbackHttpServer server = await StartAsync();
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.Endpoint.ToString();
        _context.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = AuthorizationToken;
        ContainerCredentialSource source = CreateSut();

        await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(AuthorizationToken, Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenFileAndToken_FileWins()
    {
        await using LoopbackHttpServer server = await StartAsync();
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.Endpoint.ToString();
        _context.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "from-variable";
        _context.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = WriteTokenFile("from-file");
        ContainerCredentialSource source = CreateSut();

        await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("from-file", Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task GetCredentialsAsync_NoToken_NoAuthorizationHeader()
    {
        await using LoopbackHttpServer server = await StartAsync();
        _context.Options.Container.FullUri = server.Endpoint;
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://example.com/ignored-because-options-win";
        ContainerCredentialSource source = CreateSut();

        await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Null(Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenFileMissing_RecoverableErrorNamingFileAndVariable()
    {
        await using LoopbackHttpServer server = await StartAsync();
        string missing = Path.Combine(_directory, "eks-pod-identity-token");
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.Endpoint.ToString();
        _context.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = missing;
        ContainerCredentialSource source = CreateSut();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.IsNotType<CredentialUnavailableException>(error);
        Assert.True(error.IsRecoverable);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenFileEmpty_Error()
    {
        await using LoopbackHttpServer server = await StartAsync();
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.Endpoint.ToString();
        _context.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = WriteTokenFile("  \n");
        ContainerCredentialSource source = CreateSut();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Contains("is empty", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("file", "eks-AUTH-token-do-not-log\r\nX-Injected: yes")]
    [InlineData("file", "eks-AUTH-token-do-not-log\nsecond-line")]
    [InlineData("variable", "eks-AUTH-token-do-not-log\rX")]
    [InlineData("variable", "eks-AUTH-token-do-not-log\nX")]
    public async Task GetCredentialsAsync_TokenWithLineBreak_RejectedWithoutSending(string where, string token)
    {
        await using LoopbackHttpServer server = await StartAsync();
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.Endpoint.ToString();
        if (where == "file")
        {
            _context.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = WriteTokenFile(token);
        }
        else
        {
            _context.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = token;
        }

        ContainerCredentialSource source = CreateSut();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.False(error.IsRecoverable);
        Assert.Contains("line break", error.Message, StringComparison.Ordinal);
        Assert.Contains(where == "file" ? "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE" : "AWS_CONTAINER_AUTHORIZATION_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("eks-AUTH-token", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("http://example.com/credentials")]
    [InlineData("http://10.0.0.1/credentials")]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/role")]
    [InlineData("http://169.254.170.3/credentials")]
    [InlineData("http://[fd00:ec2::24]/credentials")]
    [InlineData("ftp://localhost/credentials")]
    public async Task GetCredentialsAsync_DisallowedHost_NonRecoverableWithoutRequest(string uri)
    {
        var handler = new LoopbackGuardHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = uri;
        _context.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = AuthorizationToken;
        var source = new ContainerCredentialSource(_context.Build(handler: handler));

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.IsNotType<CredentialUnavailableException>(error);
        Assert.False(error.IsRecoverable);
        Assert.Contains("AWS_CONTAINER_CREDENTIALS_FULL_URI", error.Message, StringComparison.Ordinal);
        Assert.Contains(uri.StartsWith("ftp", StringComparison.Ordinal) ? "not an absolute http:// or https:// URI" : "https://", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthorizationToken, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/creds")]
    [InlineData("http://127.1.2.3/creds")]
    [InlineData("http://[::1]:8080/creds")]
    [InlineData("http://LOCALHOST/creds")]
    [InlineData("http://169.254.170.2/v2/credentials/abc")]
    [InlineData("http://169.254.170.23/v1/credentials")]
    [InlineData("http://[fd00:ec2::23]/v1/credentials")]
    [InlineData("https://credentials.example.com/creds")]
    public void ResolveEndpoint_AllowedHost_Accepted(string uri) =>
        Assert.Equal(new Uri(uri), WorkloadCredentials.Container.Internal.ContainerEndpoint.Resolve(null, uri));

    [Fact]
    public async Task GetCredentialsAsync_NotConfigured_Unavailable()
    {
        ContainerCredentialSource source = CreateSut();

        CredentialUnavailableException error = await Assert.ThrowsAsync<CredentialUnavailableException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_CONTAINER_CREDENTIALS_FULL_URI", error.Message, StringComparison.Ordinal);
        Assert.Equal(ContainerCredentialSource.Name, error.SourceName);
    }

    [Fact]
    public async Task GetCredentialsAsync_500sThenSuccess_Retried()
    {
        int calls = 0;
        await using LoopbackHttpServer server = await StartAsync(async http =>
        {
            if (Interlocked.Increment(ref calls) <= 2)
            {
                http.Response.StatusCode = 500;
                return;
            }

            await WriteDocumentAsync(http);
        });
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.Endpoint.ToString();
        ContainerCredentialSource source = CreateSut();

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(AccessKeyId, credentials.AccessKeyId);
        Assert.Equal(3, calls);
        Assert.Equal(2, _context.Logs.GetSnapshot().Count(r => r.Id.Id == 1702));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task GetCredentialsAsync_TransientStatusPersists_RecoverableAfterThreeAttempts(int status)
    {
        await using LoopbackHttpServer server = await StartAsync(http =>
        {
            http.Response.StatusCode = status;
            return http.Response.WriteAsync("{\"code\":\"Busy\",\"message\":\"try later\"}");
        });
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.Endpoint.ToString();
        ContainerCredentialSource source = CreateSut();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.True(error.IsRecoverable);
        Assert.Equal(3, server.Requests.Count);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains("Busy: try later", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.Authority, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, "authorization token was refused")]
    [InlineData(403, "authorization token was refused")]
    [InlineData(400, "does not know this request")]
    [InlineData(404, "does not know this request")]
    public async Task GetCredentialsAsync_ClientError_NonRecoverableAtOnceTokenMasked(int status, string hint)
    {
        await using LoopbackHttpServer server = await StartAsync(http =>
        {
            http.Response.StatusCode = status;
            return http.Response.WriteAsync($"{{\"code\":\"AccessDenied\",\"message\":\"token {AuthorizationToken} is not valid\"}}");
        });
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.Endpoint.ToString();
        _context.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = AuthorizationToken;
        ContainerCredentialSource source = CreateSut();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.False(error.IsRecoverable);
        Assert.Single(server.Requests);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.Contains("AccessDenied: token *** is not valid", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthorizationToken, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(AuthorizationToken, _context.AllLogText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"AccessKeyId\": \"ASIA\", \"SecretAccessKey\": \"container-SECRET-key-do-not-log\"", "not valid JSON")]
    [InlineData("{\"AccessKeyId\": \"ASIA\", \"SecretAccessKey\": \"container-SECRET-key-do-not-log\", \"Token\": \"container-SESSION-token-do-not-log\"}", "no Expiration")]
    [InlineData("{\"AccessKeyId\": \"ASIA\", \"SecretAccessKey\": \"container-SECRET-key-do-not-log\", \"Expiration\": \"next week\"}", "not an ISO-8601 date")]
    [InlineData("<html>container-SECRET-key-do-not-log</html>", "not valid JSON")]
    public async Task GetCredentialsAsync_MalformedDocument_RecoverableWithoutQuotingIt(string body, string problem)
    {
        await using LoopbackHttpServer server = await StartAsync(http => http.Response.WriteAsync(body));
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.Endpoint.ToString();
        ContainerCredentialSource source = CreateSut();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.True(error.IsRecoverable);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.Authority, error.Message, StringComparison.Ordinal);
        AssertNoSecret(error.ToString());
    }

    [Fact]
    public async Task GetCredentialsAsync_ConnectionRefused_RecoverableNamingEndpoint()
    {
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = $"http://127.0.0.1:{MotoServer.GetFreePort()}/v1/credentials";
        _context.Options.Container.MaxRetryAttempts = 1;
        ContainerCredentialSource source = CreateSut();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.IsNotType<CredentialUnavailableException>(error);
        Assert.True(error.IsRecoverable);
        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("/v1/credentials", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_EndpointNeverAnswers_TimesOutWithinBudget()
    {
        using var listener = new NeverAnsweringListener();
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = listener.Endpoint.ToString();
        _context.Options.Container.Timeout = TimeSpan.FromMilliseconds(200);
        _context.Options.Container.MaxRetryAttempts = 1;
        ContainerCredentialSource source = CreateSut();
        var stopwatch = Stopwatch.StartNew();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(2));
        Assert.True(error.IsRecoverable);
        Assert.Contains("no answer within 200 ms", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, listener.AcceptedCount);
    }

    [Fact]
    public async Task GetCredentialsAsync_PlainParameters_Works()
    {
        await using LoopbackHttpServer server = await StartAsync();
        using var source = new ContainerCredentialSource(
            new Uri(server.Endpoint, "/creds"),
            authorizationToken: AuthorizationToken,
            authorizationTokenFile: null,
            TimeSpan.FromSeconds(2),
            maxRetryAttempts: 0,
            httpHandler: null,
            TimeProvider.System,
            new CredentialTelemetry(SecretScanLogging.Logger));

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(AccessKeyId, credentials.AccessKeyId);
        Assert.Equal(AuthorizationToken, Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task GetCredentialsAsync_PlainParametersDisallowedHost_Rejected()
    {
        using var source = new ContainerCredentialSource(
            new Uri("http://192.0.2.10/creds"), null, null, TimeSpan.FromSeconds(1), 0, null, TimeProvider.System, new CredentialTelemetry(SecretScanLogging.Logger));

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.False(error.IsRecoverable);
        Assert.Contains("plain http:// is allowed only to loopback", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2000, 11)]
    public async Task GetCredentialsAsync_PlainParametersOutOfRange_BuiltAndFailsWhenUsed(int timeoutMilliseconds, int maxRetryAttempts)
    {
        await using LoopbackHttpServer server = await StartAsync();
        using var source = new ContainerCredentialSource(
            new Uri(server.Endpoint, "/creds"), null, null, TimeSpan.FromMilliseconds(timeoutMilliseconds), maxRetryAttempts, null, TimeProvider.System, new CredentialTelemetry(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.False(error.IsRecoverable);
        Assert.Contains(timeoutMilliseconds == 1 ? "Timeout is 00:00:00.0010000; it must lie between" : "MaxRetryAttempts is 11; it must lie between 0 and 10", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task GetCredentialsAsync_InvalidOptions_NonRecoverableNamingOption()
    {
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:1/creds";
        _context.Options.Container.Timeout = TimeSpan.FromMinutes(5);
        ContainerCredentialSource source = CreateSut();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.False(error.IsRecoverable);
        Assert.Contains("ContainerCredentialOptions.Timeout is 00:05:00", error.Message, StringComparison.Ordinal);
    }

    private static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(SecretAccessKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(AuthorizationToken, text, StringComparison.Ordinal);
    }

    private static Task WriteDocumentAsync(HttpContext http)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(
            $"{{\"AccessKeyId\":\"{AccessKeyId}\",\"SecretAccessKey\":\"{SecretAccessKey}\",\"Token\":\"{SessionToken}\",\"Expiration\":\"2030-01-02T03:04:05Z\",\"AccountId\":\"123456789012\",\"RoleArn\":\"arn:aws:iam::123456789012:role/pod-role\"}}");
    }

    private static Task<LoopbackHttpServer> StartAsync(Func<HttpContext, Task>? handler = null) =>
        LoopbackHttpServer.StartAsync(handler ?? WriteDocumentAsync, TestContext.Current.CancellationToken);

    private string WriteTokenFile(string content)
    {
        string path = Path.Combine(_directory, "token-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, content);
        return path;
    }

    private ContainerCredentialSource CreateSut() => new(_context.Build());
}
