using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using WorkloadCredentials.Container;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Container;

/// <summary>Runs these tests alone: the endless-body test bounds allocation process-wide, so no other test may allocate meanwhile.</summary>
[CollectionDefinition(nameof(ContainerHostileEndpointCollection), DisableParallelization = true)]
public sealed class ContainerHostileEndpointCollection;

/// <summary>
/// The container credentials source against hostile loopback endpoints: a redirect to another server (never followed), an error
/// body that echoes the authorization token and carries terminal control characters, an endless body, a trickling body, JSON nested
/// 10,000 deep, bytes that are not UTF-8, credential values a header cannot carry, and a token that is not ASCII. Each asserts a
/// bound on time (and, for the endless body, on what was read) and a message that names the endpoint and the true cause.
/// </summary>
[Collection(nameof(ContainerHostileEndpointCollection))]
public sealed class ContainerHostileEndpointTests : IDisposable
{
    private const string AccessKeyId = "ASIACONTAINERHOSTILE";
    private const string SecretAccessKey = "container-hostile-SECRET-do-not-log";
    private const string SessionToken = "container-hostile-SESSION-do-not-log";
    private const string AuthorizationToken = "eks-hostile-AUTH-token-do-not-log";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    private readonly HostSourceTestContext _context = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("wc-container-hostile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task GetCredentialsAsync_RedirectToAnotherServer_NotFollowedNonRecoverable()
    {
        await using LoopbackHttpServer target = await LoopbackHttpServer.StartAsync(WriteDocumentAsync, TestContext.Current.CancellationToken);
        await using LoopbackHttpServer server = await LoopbackHttpServer.StartAsync(
            http => HostileAnswers.RedirectAsync(http, new Uri(target.Endpoint, "/v1/credentials")), TestContext.Current.CancellationToken);
        ContainerCredentialSource source = CreateSut(server, token: AuthorizationToken);
        var stopwatch = Stopwatch.StartNew();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, Bound);
        Assert.Empty(target.Requests);
        Assert.Single(server.Requests);
        Assert.False(error.IsRecoverable);
        Assert.Contains("answered 307", error.Message, StringComparison.Ordinal);
        Assert.Contains("redirects are never followed", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.Authority, error.Message, StringComparison.Ordinal);
        AssertNoSecret(error.ToString());
    }

    [Fact]
    public async Task GetCredentialsAsync_ErrorBodyEchoesTokenAndControlCharacters_MaskedAndEscaped()
    {
        // The agent's error repeats the Authorization header whole and cut by one character, and paints the terminal.
        await using LoopbackHttpServer server = await LoopbackHttpServer.StartAsync(
            http =>
            {
                string echoed = http.Request.Headers.Authorization.ToString();
                http.Response.StatusCode = 403;
                http.Response.ContentType = "application/json";
                string message = $"token {echoed} or {echoed[..^1]} refused\u001b[2J\u001b[HCredentials OK\u202e";
                return http.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new { code = "AccessDenied\u0007", message }));
            },
            TestContext.Current.CancellationToken);
        ContainerCredentialSource source = CreateSut(server, token: AuthorizationToken);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.False(error.IsRecoverable);
        Assert.False(SecretMasker.ContainsSecret(error.ToString(), AuthorizationToken), error.Message);
        Assert.DoesNotContain('\u001b', error.Message);
        Assert.DoesNotContain('\u0007', error.Message);
        Assert.DoesNotContain('\u202e', error.Message);
        Assert.Contains("AccessDenied\\u0007", error.Message, StringComparison.Ordinal);
        Assert.Contains("\\u001b[2J", error.Message, StringComparison.Ordinal);
        Assert.False(SecretMasker.ContainsSecret(_context.AllLogText(), AuthorizationToken));
    }

    [Fact]
    public async Task GetCredentialsAsync_EndlessBody_LargerThan64KiBNotRetried()
    {
        using var probe = new EndlessBodyProbe();
        await using LoopbackHttpServer server = await LoopbackHttpServer.StartAsync(probe.AnswerAsync, TestContext.Current.CancellationToken);
        ContainerCredentialSource source = CreateSut(server, handler: probe.Handler);

        AwsCredentialException error = await probe.FailsWithinBoundsAsync(() => source.GetCredentialsAsync(TestContext.Current.CancellationToken), "container");

        Assert.Single(server.Requests);
        Assert.Contains("larger than 64 KiB", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did not answer", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.Authority, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_BodyOver64KiBWithLength_LargerThan64KiBNotRetried()
    {
        await using LoopbackHttpServer server = await LoopbackHttpServer.StartAsync(
            http =>
            {
                http.Response.ContentType = "application/json";
                return http.Response.WriteAsync("{\"Padding\":\"" + new string('x', 100 * 1024) + "\"}");
            },
            TestContext.Current.CancellationToken);
        ContainerCredentialSource source = CreateSut(server);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Single(server.Requests);
        Assert.Contains("the answer is larger than 64 KiB", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did not answer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_TricklingBody_TimesOutWithinBudget()
    {
        await using LoopbackHttpServer server = await LoopbackHttpServer.StartAsync(http => HostileAnswers.TrickleAsync(http, Document()), TestContext.Current.CancellationToken);
        _context.Options.Container.Timeout = TimeSpan.FromMilliseconds(300);
        _context.Options.Container.MaxRetryAttempts = 1;
        ContainerCredentialSource source = CreateSut(server);
        var stopwatch = Stopwatch.StartNew();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        stopwatch.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"container trickle: {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, Bound);
        Assert.True(error.IsRecoverable);
        Assert.Contains("no answer within 300 ms", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task GetCredentialsAsync_JsonNested10000Deep_MalformedWithinBound()
    {
        await using LoopbackHttpServer server = await LoopbackHttpServer.StartAsync(HostileAnswers.DeepJsonAsync, TestContext.Current.CancellationToken);
        ContainerCredentialSource source = CreateSut(server);
        var stopwatch = Stopwatch.StartNew();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, Bound);
        Assert.Single(server.Requests);
        Assert.Contains("unusable credentials document", error.Message, StringComparison.Ordinal);
        Assert.Contains("nested deeper than 64 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_BodyNotUtf8_RejectedAsNotUtf8()
    {
        await using LoopbackHttpServer server = await LoopbackHttpServer.StartAsync(
            http => HostileAnswers.BadUtf8Async(http, SecretAccessKey, SessionToken), TestContext.Current.CancellationToken);
        ContainerCredentialSource source = CreateSut(server);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal("Container", error.SourceName);
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.Authority, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', error.ToString());
        AssertNoSecret(error.ToString());
    }

    [Theory]
    [InlineData("SecretAccessKey", "\\n", "the secret access key holds a line break")]
    [InlineData("SecretAccessKey", "\\u0000", "the secret access key holds a NUL character")]
    [InlineData("Token", "\\\"", "the session token holds a quote or a backslash")]
    [InlineData("AccessKeyId", "\\u00e9", "the access key id holds a character that is not ASCII")]
    [InlineData("AccessKeyId", "\\ufffd", "the access key id holds a character that is not valid UTF-8")]
    public async Task GetCredentialsAsync_MalformedCredentialValue_RejectedNamingSourceEndpointAndProblem(string member, string injected, string problem)
    {
        string document = Document().Replace($"\"{member}\":\"", $"\"{member}\":\"{injected}", StringComparison.Ordinal);
        await using LoopbackHttpServer server = await LoopbackHttpServer.StartAsync(
            http =>
            {
                http.Response.ContentType = "application/json";
                return http.Response.WriteAsync(document);
            },
            TestContext.Current.CancellationToken);
        ContainerCredentialSource source = CreateSut(server);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal("Container", error.SourceName);
        Assert.StartsWith("Container: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.Authority, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
        AssertNoSecret(error.ToString());
    }

    [Theory]
    [InlineData("environment")]
    [InlineData("file")]
    public async Task GetCredentialsAsync_TokenNotAscii_InvalidHeaderNonRecoverableWithoutRequest(string where)
    {
        const string token = "eks-tökén-AUTH-do-not-log";
        await using LoopbackHttpServer server = await LoopbackHttpServer.StartAsync(WriteDocumentAsync, TestContext.Current.CancellationToken);
        string setting = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
        if (where == "file")
        {
            string path = Path.Combine(_directory, "token");
            await File.WriteAllTextAsync(path, token, TestContext.Current.CancellationToken);
            _context.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = path;
            setting = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
        }
        else
        {
            _context.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = token;
        }

        ContainerCredentialSource source = CreateSut(server);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.False(error.IsRecoverable);
        Assert.Empty(server.Requests);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid in an HTTP header", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did not answer", error.Message, StringComparison.Ordinal);
        Assert.False(SecretMasker.ContainsSecret(error.ToString(), token));
    }

    private static void AssertNoSecret(string text)
    {
        Assert.False(SecretMasker.ContainsSecret(text, SecretAccessKey, SessionToken, AuthorizationToken), text);
    }

    private static string Document() =>
        $"{{\"AccessKeyId\":\"{AccessKeyId}\",\"SecretAccessKey\":\"{SecretAccessKey}\",\"Token\":\"{SessionToken}\",\"Expiration\":\"2030-01-02T03:04:05Z\"}}";

    private static Task WriteDocumentAsync(HttpContext http)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(Document());
    }

    private ContainerCredentialSource CreateSut(LoopbackHttpServer server, string? token = null, HttpMessageHandler? handler = null)
    {
        _context.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = new Uri(server.Endpoint, "/v1/credentials").ToString();
        if (token is not null)
        {
            _context.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = token;
        }

        _context.Options.Container.Timeout ??= TimeSpan.FromSeconds(2);
        return new ContainerCredentialSource(_context.Build(handler: handler));
    }
}
