using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using WorkloadCredentials.AssumeRole.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Sts.Fakes;
using WorkloadCredentials.WebIdentity.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.Sts;

/// <summary>Runs the hostile-endpoint tests alone, so that their allocation measurements see no other test's allocations.</summary>
[CollectionDefinition(nameof(StsHostileEndpointCollection), DisableParallelization = true)]
public sealed class StsHostileEndpointCollection;

/// <summary>
/// The STS client against hostile loopback endpoints: servers that echo the request's secrets, redirect to another host, stream an
/// endless answer, trickle bytes, nest XML deeply, send bad UTF-8, huge headers or malformed values. Each test bounds the time (and
/// where an answer is large, the memory) and asserts a clear message; no secret or fragment of one reaches an exception (inner ones
/// included) or a log record at any level.
/// </summary>
[Collection(nameof(StsHostileEndpointCollection))]
public sealed class StsHostileEndpointTests : IDisposable
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/app-role";
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.hostileEchoTokenPayload0123456789abcdef.signatureXYZ";
    private const string Secret = "hostileIssuedSecretKeyValue0123456789";
    private const string SessionToken = "hostileIssuedSessionTokenValue0123456789";
    private const string SourceSecret = "hostileSourceSecretKeyValue0123456789ab";
    private const string SourceSessionToken = "hostileSourceSessionTokenValue0123456789";
    private const string ExternalId = "customer-extid-7f3a9c1b2d4e6f80";
    private const string Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::hostile-bucket/*"}]}""";
    private const long MemoryBound = 16 * 1024 * 1024;
    private static readonly DateTimeOffset Expiration = new(2031, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly string[] Secrets = [Token, Secret, SessionToken, SourceSecret, SourceSessionToken, ExternalId, Policy];

    private readonly StsTestHarness _harness = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _harness.Dispose();
        _temp.Dispose();
    }

    public static TheoryData<string, int> Echoes => new()
    {
        { "whole", 403 },
        { "minus-last-char", 403 },
        { "fragment-12", 403 },
        { "whole", 400 },
    };

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task GetCredentialsAsync_ErrorEchoesToken_NoFragmentInExceptionChainOrLogs(string echo, int status)
    {
        string echoed = echo switch
        {
            "whole" => Token,
            "minus-last-char" => Token[..^1],
            _ => Token.Substring(20, 12),
        };
        string code = status == 403 ? "AccessDenied" : "InvalidIdentityToken";
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Error(status, code, $"Not authorized: Action=AssumeRoleWithWebIdentity&WebIdentityToken={echoed}&RoleArn={RoleArn}"));
        ConfigureWebIdentity(server.Endpoint);

        AwsCredentialException ex = await FetchThroughCacheAsync(CreateWebIdentity());

        Assert.Contains(code, ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex.ToString() + _harness.LogText());
    }

    [Fact]
    public async Task GetCredentialsAsync_5xxHtmlBodyEchoesToken_NoFragmentInExceptionChainOrLogs()
    {
        await using var server = await StsFaultServer.StartAsync(_ => new StsReply(500, $"<html><body>upstream error for WebIdentityToken={Token[..^1]}</body></html>"));
        ConfigureWebIdentity(server.Endpoint, maxRetryAttempts: 1);

        AwsCredentialException ex = await FetchThroughCacheAsync(CreateWebIdentity());

        Assert.Equal(2, server.CallCount);
        AssertNoSecret(ex.ToString() + _harness.LogText());
    }

    [Fact]
    public async Task GetCredentialsAsync_ConnectionErrorEchoesToken_NoFragmentInExceptionChainOrLogs()
    {
        _harness.HttpHandler = new RecordingHandler((request, body) =>
            throw new HttpRequestException($"proxy closed the connection while sending {body}", new IOException($"broken pipe after {body}")));
        ConfigureWebIdentity(new Uri("https://sts.eu-west-1.amazonaws.com"), maxRetryAttempts: 0);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateWebIdentity().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("could not reach STS", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex.ToString() + _harness.LogText());
    }

    [Fact]
    public async Task GetCredentialsAsync_AssumeRoleErrorEchoesEveryRequestSecret_NoneInExceptionChainOrLogs()
    {
        await using var server = await StsFaultServer.StartAsync(r => StsReply.Error(
            403,
            "AccessDenied",
            $"denied ExternalId={r.Form.GetValueOrDefault("ExternalId")} Policy={r.Form.GetValueOrDefault("Policy")} token={r.SecurityToken} secret={SourceSecret[..^2]}"));
        ConfigureAssumeRole(server.Endpoint);

        AwsCredentialException ex = await FetchThroughCacheAsync(CreateAssumeRole());

        Assert.Contains("an External ID is configured", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex.ToString() + _harness.LogText());
    }

    [Theory]
    [InlineData(307)]
    [InlineData(302)]
    [InlineData(301)]
    [InlineData(308)]
    public async Task GetCredentialsAsync_WebIdentityRedirect_NotFollowedNotRetried(int status)
    {
        await using var elsewhere = await StsFaultServer.StartAsync(_ => Success());
        string target = $"http://localhost:{elsewhere.Endpoint.Port}/steal?WebIdentityToken=leak";
        await using var server = await LoopbackHttpServer.StartAsync(http =>
        {
            http.Response.StatusCode = status;
            http.Response.Headers.Location = target;
            return Task.CompletedTask;
        });
        ConfigureWebIdentity(server.Endpoint);

        var stopwatch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateWebIdentity().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.Equal(0, elsewhere.CallCount);
        Assert.Single(server.Requests);
        Assert.Empty(_harness.Records(WorkloadCredentials.Internal.Telemetry.StsLog.IdRetrying));
        Assert.Equal(
            $"WebIdentity: sts:AssumeRoleWithWebIdentity for role {RoleArn} failed: STS at {server.Endpoint.GetLeftPart(UriPartial.Authority)} answered HTTP {status} with a redirect to host localhost; redirects are never followed, because the request carries the web identity token. Point AWS_ENDPOINT_URL_STS or AWS:Sts:EndpointUrl at the real STS endpoint (this one came from AWS:Sts:EndpointUrl).",
            ex.Message);
        Assert.DoesNotContain("steal", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_AssumeRoleRedirect307_TokenAndExternalIdNeverSentElsewhere()
    {
        await using var elsewhere = await StsFaultServer.StartAsync(_ => SuccessAssumeRole());
        await using var server = await LoopbackHttpServer.StartAsync(http =>
        {
            http.Response.StatusCode = 307;
            http.Response.Headers.Location = $"http://localhost:{elsewhere.Endpoint.Port}/";
            return Task.CompletedTask;
        });
        ConfigureAssumeRole(server.Endpoint);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateAssumeRole().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(0, elsewhere.CallCount);
        Assert.Single(server.Requests);
        Assert.Contains("answered HTTP 307 with a redirect to host localhost", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex.ToString() + _harness.LogText());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetCredentialsAsync_EndlessAnswer_CappedAt64KiBNotRetriedBoundedMemory(bool announceLength)
    {
        await using var server = await LoopbackHttpServer.StartAsync(async http =>
        {
            http.Response.StatusCode = 200;
            http.Response.ContentType = "text/xml";
            if (announceLength)
            {
                http.Response.ContentLength = 4L * 1024 * 1024 * 1024;
            }

            await StreamForeverAsync(http, "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>", 'A');
        });
        ConfigureWebIdentity(server.Endpoint, attemptTimeout: TimeSpan.FromSeconds(20), totalTimeout: TimeSpan.FromSeconds(30));
        IAwsCredentialSource source = CreateWebIdentity();

        (AwsCredentialException ex, TimeSpan elapsed, long allocated) = await MeasureFailureAsync(source);

        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");
        Assert.True(allocated < MemoryBound, $"allocated {allocated / 1024 / 1024} MB");
        Assert.Single(server.Requests);
        Assert.True(ex.IsRecoverable);
        Assert.Equal(
            $"WebIdentity: sts:AssumeRoleWithWebIdentity for role {RoleArn} failed: STS at {server.Endpoint.GetLeftPart(UriPartial.Authority)} answered with something that is not an STS response: the answer is larger than 64 KiB (HTTP 200, 1 attempt(s)). Check that the endpoint (AWS:Sts:EndpointUrl) is an STS endpoint and that no proxy rewrites its answers.",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_EndlessErrorAnswer_CappedAt64KiB()
    {
        await using var server = await LoopbackHttpServer.StartAsync(http =>
        {
            http.Response.StatusCode = 403;
            http.Response.ContentType = "text/xml";
            return StreamForeverAsync(http, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>", 'x');
        });
        ConfigureWebIdentity(server.Endpoint, attemptTimeout: TimeSpan.FromSeconds(20), totalTimeout: TimeSpan.FromSeconds(30));

        (AwsCredentialException ex, TimeSpan elapsed, long allocated) = await MeasureFailureAsync(CreateWebIdentity());

        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");
        Assert.True(allocated < MemoryBound, $"allocated {allocated / 1024 / 1024} MB");
        Assert.Single(server.Requests);
        Assert.Contains("the answer is larger than 64 KiB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_TrickledAnswer_AttemptTimeoutEndsIt()
    {
        byte[] body = Encoding.UTF8.GetBytes(Success().Body);
        await using var server = await LoopbackHttpServer.StartAsync(async http =>
        {
            http.Response.StatusCode = 200;
            http.Response.ContentType = "text/xml";
            for (int i = 0; i < body.Length && !http.RequestAborted.IsCancellationRequested; i++)
            {
                try
                {
                    await http.Response.Body.WriteAsync(body.AsMemory(i, 1), http.RequestAborted);
                    await http.Response.Body.FlushAsync(http.RequestAborted);
                    await Task.Delay(100, http.RequestAborted);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException)
                {
                    return;
                }
            }
        });
        ConfigureWebIdentity(server.Endpoint, attemptTimeout: TimeSpan.FromMilliseconds(800), totalTimeout: TimeSpan.FromSeconds(2), maxRetryAttempts: 0);

        var stopwatch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateWebIdentity().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        Assert.Contains("did not answer in time", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_DeeplyNestedXml_MalformedBoundedTimeAndMemory()
    {
        string nested = string.Concat(Enumerable.Repeat("<a>", 20_000));
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Ok($"<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleWithWebIdentityResult>{nested}"));
        ConfigureWebIdentity(server.Endpoint);

        (AwsCredentialException ex, TimeSpan elapsed, long allocated) = await MeasureFailureAsync(CreateWebIdentity());

        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");
        Assert.True(allocated < MemoryBound, $"allocated {allocated / 1024 / 1024} MB");
        Assert.Equal(1, server.CallCount);
        Assert.True(ex.IsRecoverable);
        Assert.Contains("answered with something that is not an STS response", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_BadUtf8InAnswer_MalformedNotRetried()
    {
        byte[] before = Encoding.UTF8.GetBytes(Success().Body.Replace("ASIAHOSTILE", "ASIA@@@@", StringComparison.Ordinal));
        int at = Array.IndexOf(before, (byte)'@');
        before[at] = 0xC3;
        before[at + 1] = 0x28;
        before[at + 2] = 0xFF;
        before[at + 3] = 0xFE;
        await using var server = await LoopbackHttpServer.StartAsync(async http =>
        {
            http.Response.StatusCode = 200;
            http.Response.ContentType = "text/xml";
            await http.Response.Body.WriteAsync(before, http.RequestAborted);
        });
        ConfigureWebIdentity(server.Endpoint);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateWebIdentity().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Single(server.Requests);
        Assert.True(ex.IsRecoverable);
        Assert.Contains("answered with something that is not an STS response", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex.ToString() + _harness.LogText());
    }

    [Fact]
    public async Task GetCredentialsAsync_UnparsableExpiration_MalformedNotRetried()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Ok(Success().Body.Replace("2031-01-02T03:04:05Z", "next tuesday", StringComparison.Ordinal)));
        ConfigureWebIdentity(server.Endpoint);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateWebIdentity().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(1, server.CallCount);
        Assert.True(ex.IsRecoverable);
        Assert.StartsWith(
            $"WebIdentity: sts:AssumeRoleWithWebIdentity for role {RoleArn} failed: STS at {server.Endpoint.GetLeftPart(UriPartial.Authority)} answered with something that is not an STS response: ",
            ex.Message,
            StringComparison.Ordinal);
        Assert.DoesNotContain("could not reach", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex.ToString() + _harness.LogText());
    }

    [Fact]
    public async Task GetCredentialsAsync_HugeResponseHeaders_MalformedNotRetried()
    {
        string filler = new('h', 1000);
        await using var server = await LoopbackHttpServer.StartAsync(async http =>
        {
            for (int i = 0; i < 100; i++)
            {
                http.Response.Headers[$"X-Filler-{i}"] = filler;
            }

            http.Response.StatusCode = 200;
            http.Response.ContentType = "text/xml";
            await http.Response.WriteAsync(Success().Body, http.RequestAborted);
        });
        ConfigureWebIdentity(server.Endpoint);

        var stopwatch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateWebIdentity().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        Assert.Single(server.Requests);
        Assert.True(ex.IsRecoverable);
        Assert.Contains("answered with something that is not an STS response: its response headers are larger than 64 KiB", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hostile secret with spaces 0123456789", "the secret access key holds a space")]
    [InlineData("hostileSecret\"quoted0123456789abcdef", "the secret access key holds a quote or a backslash")]
    public async Task GetCredentialsAsync_MalformedIssuedCredentials_ErrorNamesSourceAndEndpointNeverTheValue(string badSecret, string problem)
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Ok(StsXml.AssumeRoleWithWebIdentity("ASIAHOSTILE", System.Security.SecurityElement.Escape(badSecret), SessionToken, Expiration)));
        ConfigureWebIdentity(server.Endpoint);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateWebIdentity().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(1, server.CallCount);
        Assert.True(ex.IsRecoverable);
        Assert.Equal(
            $"WebIdentity: sts:AssumeRoleWithWebIdentity for role {RoleArn} failed: STS at {server.Endpoint.GetLeftPart(UriPartial.Authority)} answered with something that is not an STS response: {problem} (HTTP 200, 1 attempt(s)). Check that the endpoint (AWS:Sts:EndpointUrl) is an STS endpoint and that no proxy rewrites its answers.",
            ex.Message);
        Assert.False(SecretMasker.ContainsSecret(ex.ToString(), badSecret, SessionToken), ex.ToString());
    }

    private static async Task StreamForeverAsync(HttpContext http, string prefix, char filler)
    {
        byte[] chunk = Encoding.ASCII.GetBytes(new string(filler, 16 * 1024));
        try
        {
            await http.Response.Body.WriteAsync(Encoding.ASCII.GetBytes(prefix), http.RequestAborted);
            // 200 MB at most: endless next to the 64 KiB cap, and still survivable by a client without one.
            for (int i = 0; i < 200 * 64 && !http.RequestAborted.IsCancellationRequested; i++)
            {
                await http.Response.Body.WriteAsync(chunk, http.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
        }
    }

    private static async Task<(AwsCredentialException Exception, TimeSpan Elapsed, long Allocated)> MeasureFailureAsync(IAwsCredentialSource source)
    {
        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => source.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());
        TimeSpan elapsed = stopwatch.Elapsed;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        return (ex, elapsed, allocated);
    }

    private static void AssertNoSecret(string text)
    {
        foreach (string secret in Secrets)
        {
            Assert.False(SecretMasker.ContainsSecret(text, secret), $"a secret or a 12-character fragment of one leaked:\n{text}");
        }
    }

    private static StsReply Success() => StsReply.Ok(StsXml.AssumeRoleWithWebIdentity("ASIAHOSTILE", Secret, SessionToken, Expiration));

    private static StsReply SuccessAssumeRole() => StsReply.Ok(StsXml.AssumeRole("ASIAHOSTILE", Secret, SessionToken, Expiration));

    /// <summary>Fetches through the refresh cache, so that its Error log record (with the exception) is captured too.</summary>
    private async Task<AwsCredentialException> FetchThroughCacheAsync(IAwsCredentialSource source)
    {
        using ICachedAwsCredentialSource cache = AwsCredentialSources.Cache(source, loggerFactory: _harness.LoggerFactory);
        Exception ex = await Assert.ThrowsAnyAsync<Exception>(() => cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());
        return Assert.IsAssignableFrom<AwsCredentialException>(ex);
    }

    private IAwsCredentialSource CreateWebIdentity() => WebIdentitySourceFactory.FromContext(_harness.Context());

    private IAwsCredentialSource CreateAssumeRole() =>
        AssumeRoleChainWrapper.Wrap(new QueuedCredentialSource(new AwsCredentials("ASIASOURCE", SourceSecret, SourceSessionToken, null, "StaticKeys")), _harness.Context());

    private void ConfigureWebIdentity(Uri endpoint, TimeSpan? attemptTimeout = null, TimeSpan? totalTimeout = null, int maxRetryAttempts = 3)
    {
        _harness.UseEndpoint(endpoint, attemptTimeout, totalTimeout, maxRetryAttempts);
        _harness.Environment["AWS_ROLE_ARN"] = RoleArn;
        _harness.Environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _temp.Write("token", Token);
    }

    private void ConfigureAssumeRole(Uri endpoint)
    {
        _harness.UseEndpoint(endpoint);
        _harness.Options.AssumeRole.RoleArn = RoleArn;
        _harness.Options.AssumeRole.ExternalId = ExternalId;
        _harness.Options.AssumeRole.Policy = Policy;
        _harness.Options.AssumeRole.RoleSessionName = "hostile";
    }
}
