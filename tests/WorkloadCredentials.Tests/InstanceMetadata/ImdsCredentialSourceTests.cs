using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.InstanceMetadata;
using WorkloadCredentials.InstanceMetadata.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.InstanceMetadata;

/// <summary>The instance-profile source against an in-memory IMDS: static stability, error categories, secrets.</summary>
public sealed class ImdsCredentialSourceTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly HostSourceTestContext _context = new();
    private readonly FakeTimeProvider _time = new(Now);

    public ImdsCredentialSourceTests() => _context.Options.InstanceMetadata.Endpoint = new Uri("http://127.0.0.1:1");

    [Fact]
    public async Task GetCredentialsAsync_FreshCredentials_ReturnedAsIs()
    {
        LoopbackGuardHandler handler = Imds(ImdsTestData.CredentialsJson(Now.AddHours(6), accountId: "111122223333"));
        ImdsCredentialSource source = CreateSut(handler);

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ImdsTestData.AccessKeyId, credentials.AccessKeyId);
        Assert.Equal(ImdsTestData.SecretAccessKey, credentials.SecretAccessKey);
        Assert.Equal(ImdsTestData.SessionToken, credentials.SessionToken);
        Assert.Equal(Now.AddHours(6), credentials.Expiration);
        Assert.Equal("111122223333", credentials.AccountId);
        Assert.Equal("InstanceMetadata", credentials.SourceName);
        Assert.Equal(ImdsCredentialSource.Name, credentials.SourceName);
    }

    [Theory]
    [InlineData(0.0, 5)]
    [InlineData(0.5, 7.5)]
    [InlineData(0.999, 9.99)]
    public async Task GetCredentialsAsync_ImdsReturnsExpiredCredentials_ExtendedFiveToTenMinutesWithWarning(double random, double expectedMinutes)
    {
        LoopbackGuardHandler handler = Imds(ImdsTestData.CredentialsJson(Now.AddMinutes(-30)));
        var source = new ImdsCredentialSource(
            ImdsClient.Create(_context.Build(_time, handler)), null, _time, _context.Build(_time).CreateTelemetry("test"), () => random);

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ImdsTestData.AccessKeyId, credentials.AccessKeyId);
        Assert.InRange(credentials.Expiration!.Value, Now.AddMinutes(5), Now.AddMinutes(10));
        Assert.Equal(expectedMinutes, (credentials.Expiration.Value - Now).TotalMinutes, precision: 1);
        var warning = Assert.Single(_context.Logs.GetSnapshot(), r => r.Id.Id == ImdsLog.ExpiredCredentialsExtendedId);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("127.0.0.1:1", warning.Message, StringComparison.Ordinal);
        ImdsTestData.AssertNoSecret(_context.AllLogText());
    }

    [Fact]
    public async Task GetCredentialsAsync_DefaultJitter_WithinFiveToTenMinutes()
    {
        LoopbackGuardHandler handler = Imds(ImdsTestData.CredentialsJson(Now.AddDays(-1)));
        ImdsCredentialSource source = CreateSut(handler);

        for (int i = 0; i < 5; i++)
        {
            AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
            Assert.InRange(credentials.Expiration!.Value, Now.AddMinutes(5), Now.AddMinutes(10));
        }
    }

    [Fact]
    public async Task GetCredentialsAsync_NoRoleAttached_Unavailable()
    {
        var handler = new LoopbackGuardHandler(request => request.Method == HttpMethod.Put
            ? ImdsTestData.Token()
            : ImdsTestData.Text(HttpStatusCode.NotFound));
        ImdsCredentialSource source = CreateSut(handler);

        CredentialUnavailableException error = await Assert.ThrowsAsync<CredentialUnavailableException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Contains("no instance profile is attached", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.Equal(
            ["/latest/api/token", "/latest/meta-data/iam/security-credentials/"],
            handler.Requests.Select(r => r.Uri.AbsolutePath));
    }

    [Fact]
    public async Task GetCredentialsAsync_BehindKube2iam_GetsThePodRoleNeverTheNodeRole()
    {
        // kube2iam intercepts the legacy paths (it answers with the pod's annotated role) and passes every other path to the
        // node's real IMDS, whose extended listing names the node's role. Discovery must not use the extended listing.
        var handler = new LoopbackGuardHandler(request =>
        {
            string path = request.RequestUri!.AbsolutePath;
            return request.Method == HttpMethod.Put ? ImdsTestData.Token()
                : path == "/latest/meta-data/iam/security-credentials/" ? ImdsTestData.Text(HttpStatusCode.OK, "pod-role")
                : path == "/latest/meta-data/iam/security-credentials/pod-role" ? ImdsTestData.Text(HttpStatusCode.OK, ImdsTestData.CredentialsJson(Now.AddHours(1)))
                : path == "/latest/meta-data/iam/security-credentials-extended/" ? ImdsTestData.Text(HttpStatusCode.OK, "node-role")
                : path == "/latest/meta-data/iam/security-credentials-extended/node-role" ? ImdsTestData.Text(HttpStatusCode.OK, ImdsTestData.CredentialsJson(Now.AddHours(1)).Replace("ASIA", "NODE", StringComparison.Ordinal))
                : ImdsTestData.Text(HttpStatusCode.NotFound);
        });
        ImdsCredentialSource source = CreateSut(handler);

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain("NODE", credentials.AccessKeyId, StringComparison.Ordinal);
        Assert.DoesNotContain(handler.Requests, r => r.Uri.AbsolutePath == "/latest/meta-data/iam/security-credentials-extended/");
        Assert.Equal(
            [
                "/latest/api/token",
                "/latest/meta-data/iam/security-credentials/",
                "/latest/meta-data/iam/security-credentials-extended/pod-role",
                "/latest/meta-data/iam/security-credentials/pod-role",
            ],
            handler.Requests.Select(r => r.Uri.AbsolutePath));
    }

    [Fact]
    public async Task GetCredentialsAsync_ExtendedApiAnswers500WhileUnknown_LegacyApiServesAndIsRemembered()
    {
        // moto (and proxies that do not know the path) answer the extended API with 500 rather than 404: the legacy API
        // serves instead, and the role it listed is remembered with it, so later refreshes do not pay the 500 again.
        _context.Options.InstanceMetadata.MaxRetryAttempts = 0;
        var handler = new LoopbackGuardHandler(request =>
        {
            string path = request.RequestUri!.AbsolutePath;
            return request.Method == HttpMethod.Put ? ImdsTestData.Token()
                : path.Contains("extended", StringComparison.Ordinal) ? ImdsTestData.Text(HttpStatusCode.InternalServerError)
                : path.EndsWith('/') ? ImdsTestData.Text(HttpStatusCode.OK, ImdsTestData.RoleName)
                : ImdsTestData.Text(HttpStatusCode.OK, ImdsTestData.CredentialsJson(Now.AddHours(1)));
        });
        ImdsCredentialSource source = CreateSut(handler);

        await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
        await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                "/latest/api/token",
                "/latest/meta-data/iam/security-credentials/",
                "/latest/meta-data/iam/security-credentials-extended/test-instance-role",
                "/latest/meta-data/iam/security-credentials/test-instance-role",
                "/latest/meta-data/iam/security-credentials/test-instance-role",
            ],
            handler.Requests.Select(r => r.Uri.AbsolutePath));
    }

    [Theory]
    [InlineData("AssumeRoleUnauthorizedAccess", false, "trust ec2.amazonaws.com")]
    [InlineData("InternalError", true, "usually transient")]
    public async Task GetCredentialsAsync_CodeNotSuccess_FailsWithCode(string code, bool recoverable, string hint)
    {
        LoopbackGuardHandler handler = Imds(ImdsTestData.CredentialsJson(Now.AddHours(1), code: code));
        ImdsCredentialSource source = CreateSut(handler);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.IsNotType<CredentialUnavailableException>(error);
        Assert.Equal(recoverable, error.IsRecoverable);
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        ImdsTestData.AssertNoSecret(error.ToString());
    }

    [Theory]
    [InlineData("{\"AccessKeyId\": \"ASIA\", \"SecretAccessKey\": \"imds-SECRET-access-key-do-not-log\"", "not valid JSON")]
    [InlineData("[\"imds-SECRET-access-key-do-not-log\"]", "not an object")]
    [InlineData("{\"SecretAccessKey\": \"imds-SECRET-access-key-do-not-log\", \"Expiration\": \"2027-01-01T00:00:00Z\"}", "no AccessKeyId")]
    [InlineData("{\"AccessKeyId\": \"ASIA1\", \"SecretAccessKey\": \"imds-SECRET-access-key-do-not-log\"}", "no Expiration")]
    [InlineData("{\"AccessKeyId\": \"ASIA1\", \"SecretAccessKey\": \"imds-SECRET-access-key-do-not-log\", \"Expiration\": \"tomorrow\"}", "not an ISO-8601 date")]
    public async Task GetCredentialsAsync_MalformedDocument_RecoverableWithoutQuotingIt(string body, string problem)
    {
        LoopbackGuardHandler handler = Imds(body);
        ImdsCredentialSource source = CreateSut(handler);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.True(error.IsRecoverable);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.Contains("/latest/meta-data/iam/security-credentials-extended/" + ImdsTestData.RoleName, error.Message, StringComparison.Ordinal);
        ImdsTestData.AssertNoSecret(error.ToString());
        ImdsTestData.AssertNoSecret(_context.AllLogText());
    }

    [Fact]
    public async Task GetCredentialsAsync_RoleSwapped_RediscoversOnce()
    {
        string currentRole = "role-a";
        var handler = new LoopbackGuardHandler(request =>
        {
            string path = request.RequestUri!.AbsolutePath;
            return request.Method == HttpMethod.Put ? ImdsTestData.Token()
                : path.EndsWith('/') ? ImdsTestData.Text(HttpStatusCode.OK, currentRole + "\n")
                : path.EndsWith("/" + currentRole, StringComparison.Ordinal) ? ImdsTestData.Text(HttpStatusCode.OK, ImdsTestData.CredentialsJson(Now.AddHours(1)))
                : ImdsTestData.Text(HttpStatusCode.NotFound);
        });
        ImdsCredentialSource source = CreateSut(handler);
        await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        currentRole = "role-b";
        await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Contains(_context.Logs.GetSnapshot(), r => r.Id.Id == ImdsLog.RoleRediscoveryId && r.Message.Contains("role-a", StringComparison.Ordinal));
        Assert.Equal("/latest/meta-data/iam/security-credentials-extended/role-b", handler.Requests[^1].Uri.AbsolutePath);
    }

    [Fact]
    public async Task GetCredentialsAsync_CancelledBefore_ThrowsOperationCanceled()
    {
        LoopbackGuardHandler handler = Imds(ImdsTestData.CredentialsJson(Now.AddHours(1)));
        ImdsCredentialSource source = CreateSut(handler);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await source.GetCredentialsAsync(cancelled.Token));
    }

    [Fact]
    public async Task GetCredentialsAsync_Success_LogsNoSecretOrToken()
    {
        LoopbackGuardHandler handler = Imds(ImdsTestData.CredentialsJson(Now.AddHours(1)));
        ImdsCredentialSource source = CreateSut(handler);

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(_context.Logs.GetSnapshot());
        ImdsTestData.AssertNoSecret(_context.AllLogText());
        ImdsTestData.AssertNoSecret(credentials.ToString());
    }

    [Fact]
    public async Task GetCredentialsAsync_BehindCacheImdsDownPastExpiry_ServesCachedWithWarningUntilRecovered()
    {
        // Static stability end to end: the refresh cache (its real 1 s heartbeat, on the fake clock) in front of the IMDS source.
        // IMDS failing while the cached credentials run out never reaches the app as an exception: they are served on with a
        // warning, IMDS is asked again after each backoff, and fresh credentials replace them once it is back.
        _context.Options.InstanceMetadata.MaxRetryAttempts = 0; // no Polly delays on the fake clock
        bool down = false;
        DateTimeOffset expiration = Now.AddHours(1);
        var handler = new LoopbackGuardHandler(request =>
        {
            string path = request.RequestUri!.AbsolutePath;
            return request.Method == HttpMethod.Put ? ImdsTestData.Token()
                : path.EndsWith('/') ? ImdsTestData.Text(HttpStatusCode.OK, ImdsTestData.RoleName)
                : Volatile.Read(ref down) ? ImdsTestData.Text(HttpStatusCode.ServiceUnavailable)
                : ImdsTestData.Text(HttpStatusCode.OK, ImdsTestData.CredentialsJson(expiration));
        });
        CredentialSourceContext context = _context.Build(_time, handler);
        using var cache = new RefreshingCredentialCache(
            new ImdsCredentialSource(context), new CredentialCacheOptions(), _time, context.CreateTelemetry("cache"), () => 0.5, static refresh => refresh(), TimeSpan.FromSeconds(1));

        AwsCredentials first = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        Volatile.Write(ref down, true);
        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        AwsCredentials afterExpiry = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Same(first, afterExpiry);
        Assert.True(afterExpiry.Expiration < _time.GetUtcNow());
        Assert.Contains(handler.Requests, r => r.Uri.AbsolutePath.EndsWith(ImdsTestData.RoleName, StringComparison.Ordinal) && r.Method == "GET");
        FakeLogRecord[] warnings = _context.Logs.GetSnapshot().Where(r => r.Id.Id == 102).ToArray();
        Assert.NotEmpty(warnings);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.All(warnings, w => Assert.Contains("InstanceMetadata", w.Message, StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.Contains("503", w.Exception!.Message, StringComparison.Ordinal));

        Volatile.Write(ref down, false);
        expiration = _time.GetUtcNow().AddHours(6);
        _time.Advance(TimeSpan.FromMinutes(11)); // past the longest (600 s) backoff
        AwsCredentials recovered = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.NotSame(first, recovered);
        Assert.Equal(expiration, recovered.Expiration);
        ImdsTestData.AssertNoSecret(_context.AllLogText());
    }

    [Fact]
    public void Ctor_ConfiguredProfileName_FromOptionsWinsOverEnvironment()
    {
        _context.Options.InstanceMetadata.InstanceProfileName = "from-options";
        _context.Environment["AWS_EC2_INSTANCE_PROFILE_NAME"] = "from-env";

        Assert.Equal("from-options", ImdsSettings.Resolve(_context.Options.InstanceMetadata, _context.Environment).InstanceProfileName);
    }

    private static LoopbackGuardHandler Imds(string credentialsBody) => new(request =>
    {
        string path = request.RequestUri!.AbsolutePath;
        return request.Method == HttpMethod.Put ? ImdsTestData.Token()
            : path.EndsWith('/') ? ImdsTestData.Text(HttpStatusCode.OK, ImdsTestData.RoleName)
            : ImdsTestData.Text(HttpStatusCode.OK, credentialsBody);
    });

    private ImdsCredentialSource CreateSut(HttpMessageHandler handler) => new(_context.Build(_time, handler));
}
