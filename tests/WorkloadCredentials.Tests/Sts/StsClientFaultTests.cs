using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Sts.Internal;
using WorkloadCredentials.Tests.Sts.Fakes;
using WorkloadCredentials.WebIdentity.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.Sts;

/// <summary>
/// The shared STS client against in-process loopback fault servers: retries (count and backoff), time budgets, malformed answers,
/// errors that must reach the caller at once. Web identity is the vehicle (the simplest caller); assume role shares the same client.
/// </summary>
public sealed class StsClientFaultTests : IDisposable
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/app-role";
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.fault-test-token.sig";
    private const string Secret = "faultTestSecretKeyValue0123456789";
    private const string SessionToken = "faultTestSessionTokenValue";
    private static readonly DateTimeOffset Expiration = new(2031, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly StsTestHarness _harness = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _harness.Dispose();
        _temp.Dispose();
    }

    [Theory]
    [InlineData("Throttling")]
    [InlineData("RequestLimitExceeded")]
    public async Task GetCredentialsAsync_ThrottledTwiceThenOk_ThreeCallsWithGrowingBackoff(string code)
    {
        await using var server = await StsFaultServer.StartAsync(r => r.Index < 2 ? StsReply.Error(400, code, "Rate exceeded") : Success());
        Configure(server, retryBaseDelay: TimeSpan.FromMilliseconds(40));

        var stopwatch = Stopwatch.StartNew();
        AwsCredentials credentials = await CreateSource().GetCredentialsAsync(TestContext.Current.CancellationToken);
        stopwatch.Stop();

        Assert.Equal("ASIAFAULT", credentials.AccessKeyId);
        Assert.Equal(3, server.CallCount);
        long[] delays = RetryDelays();
        Assert.Equal(2, delays.Length);
        Assert.All(delays, d => Assert.InRange(d, 1, 10_000));
        Assert.True(stopwatch.ElapsedMilliseconds >= delays.Sum(), $"elapsed {stopwatch.ElapsedMilliseconds} ms < backoff {delays.Sum()} ms");
        Assert.All(_harness.Records(StsLog.IdRetrying), r => Assert.Contains(code, r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetCredentialsAsync_Throttled_NoRetryBeforeBackoffElapses()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await StsFaultServer.StartAsync(r => r.Index == 0 ? StsReply.Error(400, "Throttling", "Rate exceeded") : Success());
        Configure(server, retryBaseDelay: TimeSpan.FromSeconds(2), totalTimeout: TimeSpan.FromMinutes(1), attemptTimeout: TimeSpan.FromSeconds(30));
        _harness.TimeProvider = time;

        Task<AwsCredentials> fetch = CreateSource().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask();
        await WaitUntilAsync(() => _harness.Records(StsLog.IdRetrying).Count == 1);
        long delay = RetryDelays().Single();
        Assert.InRange(delay, 1, 10_000);

        time.Advance(TimeSpan.FromMilliseconds(delay - 1));
        await Task.Delay(150, TestContext.Current.CancellationToken); // give a wrongly early retry the chance to show
        Assert.Equal(1, server.CallCount);

        time.Advance(TimeSpan.FromMilliseconds(1));
        AwsCredentials credentials = await fetch.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(2, server.CallCount);
        Assert.Equal("ASIAFAULT", credentials.AccessKeyId);
    }

    [Fact]
    public async Task GetCredentialsAsync_AlwaysThrottled_RecoverableAfterAllAttempts()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Error(400, "Throttling", "Rate exceeded"));
        Configure(server, maxRetryAttempts: 3);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateSource().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(4, server.CallCount);
        Assert.True(ex.IsRecoverable);
        Assert.Equal(
            $"WebIdentity: sts:AssumeRoleWithWebIdentity for role {RoleArn} failed: STS throttled all 4 attempt(s) (Throttling: Rate exceeded). A cache keeps serving its current credentials and tries again later; if this persists, fewer processes should assume this role at once.",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_Always500_RecoverableAfterAllAttempts()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Error(500, "InternalFailure", "internal error", "Receiver"));
        Configure(server, maxRetryAttempts: 2);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateSource().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(3, server.CallCount);
        Assert.True(ex.IsRecoverable);
        Assert.Equal(
            $"WebIdentity: sts:AssumeRoleWithWebIdentity for role {RoleArn} failed: STS at 127.0.0.1 failed all 3 attempt(s) (InternalFailure: internal error). This is on the STS side; a later refresh retries.",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_RetriesDisabled_OneCallOnly()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Error(500, "InternalFailure", "internal error", "Receiver"));
        Configure(server, maxRetryAttempts: 0, retryBaseDelay: TimeSpan.Zero);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateSource().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(1, server.CallCount);
        Assert.Contains("failed all 1 attempt(s)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_ConcurrentFirstCalls_OneClientCreated()
    {
        await using var server = await StsFaultServer.StartAsync(_ => Success());
        Configure(server);
        IAwsCredentialSource source = CreateSource();

        AwsCredentials[] results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => source.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask()));

        Assert.All(results, r => Assert.Equal("ASIAFAULT", r.AccessKeyId));
        Assert.Equal(16, server.CallCount);
        Assert.Single(_harness.Records(StsLog.IdEndpointSelected));
    }

    [Theory]
    [InlineData(503, "ServiceUnavailable")]
    [InlineData(400, "IDPCommunicationError")]
    public async Task GetCredentialsAsync_TransientThenOk_Retried(int status, string code)
    {
        await using var server = await StsFaultServer.StartAsync(r => r.Index == 0 ? StsReply.Error(status, code, "try again") : Success());
        Configure(server);

        AwsCredentials credentials = await CreateSource().GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("ASIAFAULT", credentials.AccessKeyId);
        Assert.Equal(2, server.CallCount);
    }

    [Fact]
    public async Task GetCredentialsAsync_ProxyAnswers502Html_RetriedAsServerError()
    {
        await using var server = await StsFaultServer.StartAsync(r => r.Index == 0 ? new StsReply(502, "<html><body>Bad Gateway</body></html>") : Success());
        Configure(server);

        AwsCredentials credentials = await CreateSource().GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("ASIAFAULT", credentials.AccessKeyId);
        Assert.Equal(2, server.CallCount);
    }

    [Fact]
    public async Task GetCredentialsAsync_HangingSts_EachAttemptTimesOutAndAllAttemptsAreMade()
    {
        await using var server = await StsFaultServer.StartAsync(_ => null);
        Configure(server, attemptTimeout: TimeSpan.FromMilliseconds(150), totalTimeout: TimeSpan.FromSeconds(3), maxRetryAttempts: 2);

        var stopwatch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateSource().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());
        stopwatch.Stop();

        Assert.Equal(3, server.CallCount);
        Assert.True(ex.IsRecoverable);
        Assert.InRange(stopwatch.ElapsedMilliseconds, 400, 2500);
        Assert.Equal(
            $"WebIdentity: sts:AssumeRoleWithWebIdentity for role {RoleArn} failed: STS at {server.Endpoint.GetLeftPart(UriPartial.Authority)} did not answer in time (3 attempt(s), 0.15 s each, 3 s in all). Check network access to the endpoint (proxy, VPC endpoint, security groups) or raise AWS:Sts:AttemptTimeout.",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_HangingSts_TotalBudgetHoldsAcrossRetries()
    {
        await using var server = await StsFaultServer.StartAsync(_ => null);
        Configure(server, attemptTimeout: TimeSpan.FromMilliseconds(300), totalTimeout: TimeSpan.FromMilliseconds(500), maxRetryAttempts: 10);

        var stopwatch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateSource().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());
        stopwatch.Stop();

        Assert.True(ex.IsRecoverable);
        Assert.InRange(server.CallCount, 1, 2);
        Assert.InRange(stopwatch.ElapsedMilliseconds, 450, 2500); // without the budget, 11 attempts of 300 ms and their backoff take well over 3 s
        Assert.Contains("did not answer in time", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_CallerCancelsWhileStsHangs_ThrowsOperationCanceledPromptly()
    {
        await using var server = await StsFaultServer.StartAsync(_ => null);
        Configure(server, attemptTimeout: TimeSpan.FromSeconds(30), totalTimeout: TimeSpan.FromSeconds(60));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        Task<AwsCredentials> fetch = CreateSource().GetCredentialsAsync(cts.Token).AsTask();
        await WaitUntilAsync(() => server.CallCount == 1);
        var stopwatch = Stopwatch.StartNew();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
        Assert.True(stopwatch.ElapsedMilliseconds < 2000, $"cancellation took {stopwatch.ElapsedMilliseconds} ms");
        Assert.Equal(1, server.CallCount);
    }

    [Fact]
    public async Task GetCredentialsAsync_MalformedXml_NotRetriedRecoverable()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Ok("<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIA"));
        Configure(server);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateSource().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(1, server.CallCount);
        Assert.True(ex.IsRecoverable);
        Assert.Equal(
            $"WebIdentity: sts:AssumeRoleWithWebIdentity for role {RoleArn} failed: STS at {server.Endpoint.GetLeftPart(UriPartial.Authority)} answered with something that is not an STS response: it is not well-formed XML (1 attempt(s)). Check that the endpoint (AWS:Sts:EndpointUrl) is an STS endpoint and that no proxy rewrites its answers.",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_AnswerWithoutCredentials_Malformed()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Ok("""<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"""));
        Configure(server);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateSource().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(1, server.CallCount);
        Assert.Contains("answered with something that is not an STS response", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_ConnectionRefused_RetriedThenRecoverable()
    {
        int port = Infrastructure.MotoServer.GetFreePort();
        _temp.Write("token", Token);
        Configure(new Uri($"http://127.0.0.1:{port}"), maxRetryAttempts: 2);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateSource().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.True(ex.IsRecoverable);
        Assert.StartsWith($"WebIdentity: sts:AssumeRoleWithWebIdentity for role {RoleArn} failed: could not reach STS at http://127.0.0.1:{port} (3 attempt(s)): ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("Check network access to the endpoint and the endpoint setting (AWS:Sts:EndpointUrl).", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, _harness.Records(StsLog.IdRetrying).Count);
    }

    [Theory]
    [InlineData("AccessDenied", 403)]
    [InlineData("RegionDisabledException", 403)]
    [InlineData("IDPRejectedClaim", 403)]
    [InlineData("MalformedPolicyDocument", 400)]
    [InlineData("PackedPolicyTooLarge", 400)]
    [InlineData("ValidationError", 400)]
    public async Task GetCredentialsAsync_NonRecoverableError_OneCallNotRecoverable(string code, int status)
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Error(status, code, "refused"));
        Configure(server);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateSource().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(1, server.CallCount);
        Assert.False(ex.IsRecoverable);
        Assert.Contains(RoleArn, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"({code}: refused)", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_harness.Records(StsLog.IdRetrying));
    }

    [Fact]
    public async Task GetCredentialsAsync_RegionDisabled_MessageNamesRegionAndFix()
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Error(403, "RegionDisabledException", "STS is not activated in this region for account:123456789012."));
        Configure(server);

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => CreateSource().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(
            $"WebIdentity: sts:AssumeRoleWithWebIdentity for role {RoleArn} failed: STS is not activated in region eu-west-1 for the role's account (RegionDisabledException: STS is not activated in this region for account:123456789012.). Activate the region in IAM (Account settings) or use another region (AWS_REGION or AWS:Region).",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_ManyRefreshes_OneSdkClientReused()
    {
        await using var server = await StsFaultServer.StartAsync(_ => Success());
        Configure(server);
        var source = (WorkloadCredentials.WebIdentity.WebIdentityCredentialSource)CreateSource();

        for (int i = 0; i < 5; i++)
        {
            _ = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(5, server.CallCount);
        Assert.Single(_harness.Records(StsLog.IdEndpointSelected));
    }

    [Fact]
    public async Task GetCredentialsAsync_ManyRefreshes_OneConnectionPooledAndClosedOnDispose()
    {
        var connections = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        await using var server = await Infrastructure.LoopbackHttpServer.StartAsync(async http =>
        {
            connections.AddOrUpdate(http.Connection.Id, 1, (_, n) => n + 1);
            http.Response.ContentType = "text/xml";
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(http.Response, Success().Body, http.RequestAborted);
        });
        Configure(server.Endpoint);
        var source = (WorkloadCredentials.WebIdentity.WebIdentityCredentialSource)CreateSource();

        for (int i = 0; i < 20; i++)
        {
            _ = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
        }

        source.Dispose();

        Assert.Equal(20, server.Requests.Count);
        Assert.Single(connections);
    }

    [Fact]
    public async Task GetCredentialsAsync_FaultFlows_NoSecretInLogsOrMessages()
    {
        await using var server = await StsFaultServer.StartAsync(r => r.Index switch
        {
            0 => StsReply.Error(400, "Throttling", "Rate exceeded"),
            1 => Success(),
            _ => StsReply.Error(403, "AccessDenied", "denied"),
        });
        Configure(server);
        var source = CreateSource();

        _ = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => source.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        string text = _harness.LogText() + ex;
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionToken, text, StringComparison.Ordinal);
    }

    private static StsReply Success() => StsReply.Ok(StsXml.AssumeRoleWithWebIdentity("ASIAFAULT", Secret, SessionToken, Expiration));

    private IAwsCredentialSource CreateSource() => WebIdentitySourceFactory.FromContext(_harness.Context());

    private void Configure(StsFaultServer server, TimeSpan? attemptTimeout = null, TimeSpan? totalTimeout = null, int maxRetryAttempts = 3, TimeSpan? retryBaseDelay = null) =>
        Configure(server.Endpoint, attemptTimeout, totalTimeout, maxRetryAttempts, retryBaseDelay);

    private void Configure(Uri endpoint, TimeSpan? attemptTimeout = null, TimeSpan? totalTimeout = null, int maxRetryAttempts = 3, TimeSpan? retryBaseDelay = null)
    {
        _harness.UseEndpoint(endpoint, attemptTimeout, totalTimeout, maxRetryAttempts, retryBaseDelay);
        _harness.Environment["AWS_ROLE_ARN"] = RoleArn;
        _harness.Environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _temp.Write("token", Token);
    }

    private long[] RetryDelays() =>
        _harness.Records(StsLog.IdRetrying)
            .Select(r => long.Parse(r.StructuredState!.Single(p => p.Key == "DelayMilliseconds").Value!, CultureInfo.InvariantCulture))
            .ToArray();

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "condition not met within 10 s");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
