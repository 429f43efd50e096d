using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using WorkloadCredentials.Container;
using WorkloadCredentials.InstanceMetadata;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.InstanceMetadata;

/// <summary>
/// The instance metadata source against real loopback fault servers (in-process Kestrel, and a raw TCP listener that never
/// answers), on the real clock: refused and slow token requests, 401, 503 then success, slow answers, nothing listening,
/// a listener that never answers (fail-fast time bound), malformed JSON, and IMDS failing after it answered (static stability).
/// </summary>
public sealed class ImdsFaultTests
{
    /// <summary>The whole chain must give up on a machine without IMDS within this.</summary>
    private static readonly TimeSpan FailFastBound = TimeSpan.FromMilliseconds(1500);

    private readonly HostSourceTestContext _context = new();

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    public async Task GetCredentialsAsync_TokenPutRefused_FallsBackToV1(int status)
    {
        await using LoopbackHttpServer server = await StartImdsAsync(tokenStatus: status);
        ImdsCredentialSource source = CreateSut(server.Endpoint);

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ImdsTestData.AccessKeyId, credentials.AccessKeyId);
        Assert.All(server.Requests.Where(r => r.Method == "GET"), r => Assert.Null(r.Header("X-aws-ec2-metadata-token")));
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    public async Task GetCredentialsAsync_TokenPutRefusedV1Disabled_FailsWithoutFallback(int status)
    {
        _context.Environment["AWS_EC2_METADATA_V1_DISABLED"] = "true";
        await using LoopbackHttpServer server = await StartImdsAsync(tokenStatus: status);
        ImdsCredentialSource source = CreateSut(server.Endpoint);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.False(error.IsRecoverable);
        Assert.Contains(server.Endpoint.Authority, error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_EC2_METADATA_V1_DISABLED", error.Message, StringComparison.Ordinal);
        Assert.Equal(["PUT"], server.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task GetCredentialsAsync_Answers401_NewTokenThenSuccess()
    {
        int tokens = 0;
        await using LoopbackHttpServer server = await LoopbackHttpServer.StartAsync(async http =>
        {
            if (http.Request.Method == "PUT")
            {
                await http.Response.WriteAsync("token-" + Interlocked.Increment(ref tokens));
                return;
            }

            if (http.Request.Headers["X-aws-ec2-metadata-token"] == "token-1")
            {
                http.Response.StatusCode = 401;
                return;
            }

            await WriteImdsAsync(http, ImdsTestData.CredentialsJson(DateTimeOffset.UtcNow.AddHours(1)));
        }, TestContext.Current.CancellationToken);
        ImdsCredentialSource source = CreateSut(server.Endpoint);

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ImdsTestData.AccessKeyId, credentials.AccessKeyId);
        Assert.Equal(2, tokens);
    }

    [Fact]
    public async Task GetCredentialsAsync_503ThenSuccess_Retried()
    {
        int credentialCalls = 0;
        await using LoopbackHttpServer server = await StartImdsAsync(credentials: async http =>
        {
            if (Interlocked.Increment(ref credentialCalls) <= 2)
            {
                http.Response.StatusCode = 503;
                return;
            }

            await WriteImdsAsync(http, ImdsTestData.CredentialsJson(DateTimeOffset.UtcNow.AddHours(1)));
        });
        ImdsCredentialSource source = CreateSut(server.Endpoint);

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ImdsTestData.AccessKeyId, credentials.AccessKeyId);
        Assert.Equal(3, credentialCalls);
        Assert.Contains(_context.Logs.GetSnapshot(), r => r.Id.Id == 1606);
    }

    [Fact]
    public async Task GetCredentialsAsync_SlowAnswerAfterFirstContact_TimesOutAndRetries()
    {
        _context.Options.InstanceMetadata.Timeout = TimeSpan.FromMilliseconds(300);
        int credentialCalls = 0;
        await using LoopbackHttpServer server = await StartImdsAsync(credentials: async http =>
        {
            if (Interlocked.Increment(ref credentialCalls) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), http.RequestAborted);
            }

            await WriteImdsAsync(http, ImdsTestData.CredentialsJson(DateTimeOffset.UtcNow.AddHours(1)));
        });
        ImdsCredentialSource source = CreateSut(server.Endpoint);
        var stopwatch = Stopwatch.StartNew();

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ImdsTestData.AccessKeyId, credentials.AccessKeyId);
        Assert.Equal(2, credentialCalls);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenPutNeverAnswered_FallsBackToV1Quickly()
    {
        // A hop limit of 1 in a container drops every answer to the token PUT: it times out, and IMDSv1 answers.
        await using LoopbackHttpServer server = await StartImdsAsync(token: http => Task.Delay(Timeout.Infinite, http.RequestAborted));
        ImdsCredentialSource source = CreateSut(server.Endpoint);
        var stopwatch = Stopwatch.StartNew();

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ImdsTestData.AccessKeyId, credentials.AccessKeyId);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(450), FailFastBound);
        Assert.Contains(_context.Logs.GetSnapshot(), r => r.Id.Id == 1601 && r.Message.Contains("no answer within 500 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenPutNeverAnsweredV1Disabled_UnavailableQuickly()
    {
        _context.Options.InstanceMetadata.DisableV1Fallback = true;
        await using LoopbackHttpServer server = await StartImdsAsync(token: http => Task.Delay(Timeout.Infinite, http.RequestAborted));
        ImdsCredentialSource source = CreateSut(server.Endpoint);
        var stopwatch = Stopwatch.StartNew();

        CredentialUnavailableException error = await Assert.ThrowsAsync<CredentialUnavailableException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Contains("no answer within 500 ms", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, r => r.Method == "GET");
    }

    [Fact]
    public async Task GetCredentialsAsync_NothingListening_UnavailableFast()
    {
        Uri closed = new($"http://127.0.0.1:{MotoServer.GetFreePort()}");
        ImdsCredentialSource source = CreateSut(closed);
        var stopwatch = Stopwatch.StartNew();

        CredentialUnavailableException error = await Assert.ThrowsAsync<CredentialUnavailableException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        stopwatch.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"IMDS fail-fast, nothing listening: {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, FailFastBound);
        Assert.Contains(closed.Authority, error.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_EC2_METADATA_DISABLED=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_ListenerNeverAnswers_UnavailableWithinBound()
    {
        using var listener = new NeverAnsweringListener();
        ImdsCredentialSource source = CreateSut(listener.Endpoint);
        var stopwatch = Stopwatch.StartNew();

        CredentialUnavailableException error = await Assert.ThrowsAsync<CredentialUnavailableException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        stopwatch.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"IMDS fail-fast, listener never answers: {stopwatch.Elapsed.TotalMilliseconds:F0} ms ({listener.AcceptedCount} connections accepted)");
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(900), FailFastBound);
        Assert.True(listener.AcceptedCount >= 1);
        Assert.Contains(listener.Endpoint.Authority, error.Message, StringComparison.Ordinal);
        Assert.Contains("no answer within 500 ms", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nothing listening")]
    [InlineData("listener never answers")]
    public async Task HostSources_InChainOrderWithNoHost_AllUnavailableWithinBound(string fault)
    {
        // The chain tries container credentials, then instance metadata (the sources before them read only local settings).
        using var listener = fault == "listener never answers" ? new NeverAnsweringListener() : null;
        _context.Options.InstanceMetadata.Endpoint = listener?.Endpoint ?? new Uri($"http://127.0.0.1:{MotoServer.GetFreePort()}");
        var context = _context.Build();
        IAwsCredentialSource[] hostSources = [new ContainerCredentialSource(context), new ImdsCredentialSource(context)];
        var stopwatch = Stopwatch.StartNew();

        var reasons = new List<string>();
        foreach (IAwsCredentialSource source in hostSources)
        {
            CredentialUnavailableException error = await Assert.ThrowsAsync<CredentialUnavailableException>(
                async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));
            reasons.Add(error.Message);
        }

        stopwatch.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"container + IMDS, {fault}: {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, FailFastBound);
        Assert.StartsWith("Container:", reasons[0], StringComparison.Ordinal);
        Assert.StartsWith("InstanceMetadata:", reasons[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_MalformedJson_RecoverableNamingEndpoint()
    {
        await using LoopbackHttpServer server = await StartImdsAsync(credentials: http => WriteImdsAsync(http, "{\"AccessKeyId\": \"ASIA\", \"SecretAccessKey\": \"" + ImdsTestData.SecretAccessKey + "\""));
        ImdsCredentialSource source = CreateSut(server.Endpoint);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.True(error.IsRecoverable);
        Assert.Contains(server.Endpoint.Authority, error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        ImdsTestData.AssertNoSecret(error.ToString());
    }

    [Fact]
    public async Task GetCredentialsAsync_ExpiredCredentialsThenImdsDown_ExtendedThenRecoverableFailure()
    {
        // Static stability, the source's part: IMDS serving stale credentials is bridged for 5-10 minutes; once it answered
        // before, IMDS going down is a recoverable failure (the cache keeps serving), never "unavailable" (the chain moving on).
        _context.Options.InstanceMetadata.Timeout = TimeSpan.FromMilliseconds(300);
        bool down = false;
        await using LoopbackHttpServer server = await StartImdsAsync(credentials: async http =>
        {
            if (Volatile.Read(ref down))
            {
                http.Response.StatusCode = 500;
                return;
            }

            await WriteImdsAsync(http, ImdsTestData.CredentialsJson(DateTimeOffset.UtcNow.AddMinutes(-10)));
        });
        ImdsCredentialSource source = CreateSut(server.Endpoint);

        AwsCredentials extended = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
        Volatile.Write(ref down, true);
        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.InRange(extended.Expiration!.Value, DateTimeOffset.UtcNow.AddMinutes(4.9), DateTimeOffset.UtcNow.AddMinutes(10));
        Assert.Contains(_context.Logs.GetSnapshot(), r => r.Id.Id == 1603);
        Assert.IsNotType<CredentialUnavailableException>(error);
        Assert.True(error.IsRecoverable);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.Authority, error.Message, StringComparison.Ordinal);
        ImdsTestData.AssertNoSecret(error.ToString());
        ImdsTestData.AssertNoSecret(_context.AllLogText());
    }

    [Fact]
    public async Task GetCredentialsAsync_AnsweredBeforeThenGone_RecoverableNotUnavailable()
    {
        LoopbackHttpServer server = await StartImdsAsync();
        ImdsCredentialSource source = CreateSut(server.Endpoint);
        await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
        await server.DisposeAsync();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.IsNotType<CredentialUnavailableException>(error);
        Assert.True(error.IsRecoverable);
        Assert.Contains("3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.Authority, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_CancelledWhileWaiting_ThrowsOperationCanceled()
    {
        await using LoopbackHttpServer server = await StartImdsAsync(credentials: http => Task.Delay(Timeout.Infinite, http.RequestAborted));
        ImdsCredentialSource source = CreateSut(server.Endpoint);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await source.GetCredentialsAsync(cancellation.Token));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("3", true)]
    public async Task GetCredentialsAsync_SlowFirstAnswerAndExplicitTimeout_FirstContactWaitsTheExplicitTimeout(string? timeoutVariable, bool resolves)
    {
        // A slow IMDS proxy (kube2iam at pod start) answers its first request after 1.2 s. IMDSv1 is off, so only the token counts.
        _context.Options.InstanceMetadata.DisableV1Fallback = true;
        _context.Environment["AWS_METADATA_SERVICE_TIMEOUT"] = timeoutVariable;
        await using LoopbackHttpServer server = await StartImdsAsync(token: async http =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1200), http.RequestAborted);
            await http.Response.WriteAsync(ImdsTestData.ImdsToken, http.RequestAborted);
        });
        ImdsCredentialSource source = CreateSut(server.Endpoint);

        if (resolves)
        {
            AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
            Assert.Equal(ImdsTestData.AccessKeyId, credentials.AccessKeyId);
        }
        else
        {
            // The default stays the fast first contact (500 ms).
            AwsCredentialException error = await Assert.ThrowsAnyAsync<AwsCredentialException>(
                async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));
            Assert.Contains("500 ms", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("3", true)]
    public async Task GetCredentialsAsync_FirstRequestUnanswered_ExplicitAttemptsRetryTheFirstContact(string? attemptsVariable, bool resolves)
    {
        _context.Options.InstanceMetadata.DisableV1Fallback = true;
        _context.Options.InstanceMetadata.FirstContactTimeout = TimeSpan.FromMilliseconds(300);
        _context.Environment["AWS_METADATA_SERVICE_NUM_ATTEMPTS"] = attemptsVariable;
        int tokenCalls = 0;
        await using LoopbackHttpServer server = await StartImdsAsync(token: async http =>
        {
            if (Interlocked.Increment(ref tokenCalls) == 1)
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
            }

            await http.Response.WriteAsync(ImdsTestData.ImdsToken, http.RequestAborted);
        });
        ImdsCredentialSource source = CreateSut(server.Endpoint);

        if (resolves)
        {
            AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
            Assert.Equal(ImdsTestData.AccessKeyId, credentials.AccessKeyId);
            Assert.Equal(2, tokenCalls);
        }
        else
        {
            _ = await Assert.ThrowsAnyAsync<AwsCredentialException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));
            Assert.Equal(1, tokenCalls);
        }
    }

    private static Task<LoopbackHttpServer> StartImdsAsync(
        int tokenStatus = 200,
        Func<HttpContext, Task>? token = null,
        Func<HttpContext, Task>? credentials = null) =>
        LoopbackHttpServer.StartAsync(
            async http =>
            {
                string path = http.Request.Path.Value!;
                if (http.Request.Method == "PUT" && path == "/latest/api/token")
                {
                    if (token is not null)
                    {
                        await token(http);
                    }
                    else if (tokenStatus == 200)
                    {
                        await http.Response.WriteAsync(ImdsTestData.ImdsToken);
                    }
                    else
                    {
                        http.Response.StatusCode = tokenStatus;
                    }
                }
                else if (path.EndsWith('/'))
                {
                    await http.Response.WriteAsync(ImdsTestData.RoleName);
                }
                else if (credentials is not null)
                {
                    await credentials(http);
                }
                else
                {
                    await WriteImdsAsync(http, ImdsTestData.CredentialsJson(DateTimeOffset.UtcNow.AddHours(1)));
                }
            },
            TestContext.Current.CancellationToken);

    private static Task WriteImdsAsync(HttpContext http, string body)
    {
        http.Response.ContentType = "text/plain";
        return http.Response.WriteAsync(body);
    }

    private ImdsCredentialSource CreateSut(Uri endpoint)
    {
        _context.Options.InstanceMetadata.Endpoint = endpoint;
        return new ImdsCredentialSource(_context.Build());
    }
}
