using System.Net;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.InstanceMetadata;
using WorkloadCredentials.InstanceMetadata.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.InstanceMetadata;

/// <summary>The IMDS client against an in-memory service: session tokens, the IMDSv1 fallback, 401 renewal, the region lookup.</summary>
public sealed class ImdsClientTests
{
    private const string Loopback = "http://127.0.0.1:1";

    private readonly HostSourceTestContext _context = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public ImdsClientTests() => _context.Options.InstanceMetadata.Endpoint = new Uri(Loopback);

    [Fact]
    public async Task GetAsync_SeveralCalls_OneTokenPutReusedWithTtlHeader()
    {
        var handler = new LoopbackGuardHandler(request => request.Method == HttpMethod.Put
            ? ImdsTestData.Token()
            : ImdsTestData.Text(HttpStatusCode.OK, "value"));
        ImdsClient client = CreateSut(handler);

        for (int i = 0; i < 3; i++)
        {
            ImdsResponse response = await client.GetAsync("/latest/meta-data/instance-id", TestContext.Current.CancellationToken);
            Assert.Equal("value", response.Body);
        }

        Assert.Equal(["PUT", "GET", "GET", "GET"], handler.Requests.Select(r => r.Method));
        Assert.Equal("21600", handler.Requests[0].Header("X-aws-ec2-metadata-token-ttl-seconds"));
        Assert.Equal("http://127.0.0.1:1/latest/api/token", handler.Requests[0].Uri.AbsoluteUri);
        Assert.All(handler.Requests.Skip(1), r => Assert.Equal(ImdsTestData.ImdsToken, r.Header("X-aws-ec2-metadata-token")));
        Assert.True(client.HasAnswered);
    }

    [Fact]
    public async Task GetAsync_TokenNearItsExpiry_FetchesANewOne()
    {
        _context.Options.InstanceMetadata.TokenTtl = TimeSpan.FromMinutes(10);
        int puts = 0;
        var handler = new LoopbackGuardHandler(request => request.Method == HttpMethod.Put
            ? ImdsTestData.Token("token-" + ++puts)
            : ImdsTestData.Text(HttpStatusCode.OK, "value"));
        ImdsClient client = CreateSut(handler);

        await client.GetAsync("/latest/meta-data/a", TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(8.5));
        await client.GetAsync("/latest/meta-data/b", TestContext.Current.CancellationToken);

        // Reused until a tenth of the lifetime (at most a minute) before expiry: 9 of 10 minutes.
        _time.Advance(TimeSpan.FromMinutes(1));
        await client.GetAsync("/latest/meta-data/c", TestContext.Current.CancellationToken);

        Assert.Equal("600", handler.Requests[0].Header("X-aws-ec2-metadata-token-ttl-seconds"));
        Assert.Equal(2, puts);
        Assert.Equal(["token-1", "token-1", "token-2"], handler.Requests.Where(r => r.Method == "GET").Select(r => r.Header("X-aws-ec2-metadata-token")));
    }

    [Fact]
    public async Task GetAsync_ServiceGrantsShorterTtl_HonoursIt()
    {
        int puts = 0;
        var handler = new LoopbackGuardHandler(request => request.Method == HttpMethod.Put
            ? ImdsTestData.Token("token-" + ++puts, ttlSeconds: 120)
            : ImdsTestData.Text(HttpStatusCode.OK, "value"));
        ImdsClient client = CreateSut(handler);

        await client.GetAsync("/latest/meta-data/a", TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(100));
        await client.GetAsync("/latest/meta-data/b", TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(10));
        await client.GetAsync("/latest/meta-data/c", TestContext.Current.CancellationToken);

        Assert.Equal(2, puts);
    }

    [Fact]
    public async Task GetAsync_Answers401_FetchesNewTokenAndRetriesOnce()
    {
        int puts = 0;
        var handler = new LoopbackGuardHandler(request =>
        {
            if (request.Method == HttpMethod.Put)
            {
                return ImdsTestData.Token("token-" + ++puts);
            }

            return request.Headers.GetValues("X-aws-ec2-metadata-token").Single() == "token-1"
                ? ImdsTestData.Text(HttpStatusCode.Unauthorized)
                : ImdsTestData.Text(HttpStatusCode.OK, "value");
        });
        ImdsClient client = CreateSut(handler);

        ImdsResponse response = await client.GetAsync("/latest/meta-data/a", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(["PUT", "GET", "PUT", "GET"], handler.Requests.Select(r => r.Method));
        Assert.Contains(_context.Logs.GetSnapshot(), r => r.Id.Id == ImdsLog.TokenRejectedId);
    }

    // Where the AWS SDKs differ: botocore and aws-sdk-go-v2 fall back to IMDSv1 when the token PUT answers 403, 404 or 405;
    // smithy-rs and aws-sdk-net v4 take a 403 to mean "IMDS is disabled" and stop. We fall back on all three (kube2iam/kiam
    // and other proxies answer the PUT so), because the issue asks for it; AWS_EC2_METADATA_V1_DISABLED=true turns that off.
    [Theory]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.MethodNotAllowed)]
    public async Task GetAsync_TokenPutRefused_FallsBackToV1ForThisRequest(HttpStatusCode status)
    {
        var handler = new LoopbackGuardHandler(request => request.Method == HttpMethod.Put
            ? ImdsTestData.Text(status)
            : ImdsTestData.Text(HttpStatusCode.OK, "value"));
        ImdsClient client = CreateSut(handler);

        ImdsResponse response = await client.GetAsync("/latest/meta-data/a", TestContext.Current.CancellationToken);

        Assert.Equal("value", response.Body);
        Assert.Null(handler.Requests[1].Header("X-aws-ec2-metadata-token"));
        Assert.Contains(_context.Logs.GetSnapshot(), r => r.Id.Id == ImdsLog.V1FallbackId);
    }

    [Fact]
    public async Task GetAsync_AfterFallback_V1ForFiveMinutesThenTokenAgain()
    {
        int puts = 0;
        var handler = new LoopbackGuardHandler(request => request.Method == HttpMethod.Put
            ? ++puts == 1 ? ImdsTestData.Text(HttpStatusCode.NotFound) : ImdsTestData.Token()
            : ImdsTestData.Text(HttpStatusCode.OK, "value"));
        ImdsClient client = CreateSut(handler);

        await client.GetAsync("/latest/meta-data/a", TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(4.9));
        await client.GetAsync("/latest/meta-data/b", TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(0.2));
        await client.GetAsync("/latest/meta-data/c", TestContext.Current.CancellationToken);

        Assert.Equal(["PUT", "GET", "GET", "PUT", "GET"], handler.Requests.Select(r => r.Method));
        Assert.Null(handler.Requests[1].Header("X-aws-ec2-metadata-token"));
        Assert.Null(handler.Requests[2].Header("X-aws-ec2-metadata-token"));
        Assert.Equal(ImdsTestData.ImdsToken, handler.Requests[4].Header("X-aws-ec2-metadata-token"));
    }

    [Fact]
    public async Task GetAsync_TokenPutTimedOutOnce_V1ForFiveMinutesThenTokenAgain()
    {
        // A hop limit of 1 drops the answer to the first token PUT: it times out (on the fake clock) and IMDSv1 serves.
        // That is no permanent downgrade: after the fallback window the token is asked for again, and used once granted.
        var guard = new LoopbackGuardHandler(request => request.Method == HttpMethod.Put
            ? ImdsTestData.Token()
            : ImdsTestData.Text(HttpStatusCode.OK, "value"));
        using var handler = new FirstTokenPutHangsHandler(guard);
        ImdsClient client = CreateSut(handler);

        Task<ImdsResponse> first = client.GetAsync("/latest/meta-data/a", TestContext.Current.CancellationToken).AsTask();
        await handler.FirstPutArrived.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMilliseconds(501)); // the first-contact timeout
        ImdsResponse response = await first.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(4.9));
        await client.GetAsync("/latest/meta-data/b", TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(0.2));
        await client.GetAsync("/latest/meta-data/c", TestContext.Current.CancellationToken);
        await client.GetAsync("/latest/meta-data/d", TestContext.Current.CancellationToken);

        Assert.Equal("value", response.Body);
        Assert.True(handler.FirstPutCancelled);
        Assert.Contains(_context.Logs.GetSnapshot(), r => r.Id.Id == ImdsLog.V1FallbackId && r.Message.Contains("no answer within 500 ms", StringComparison.Ordinal));

        // The guard saw every request but the hung PUT: v1 GET a, v1 GET b, then PUT (granted), GET c and GET d with the token.
        Assert.Equal(["GET", "GET", "PUT", "GET", "GET"], guard.Requests.Select(r => r.Method));
        Assert.Null(guard.Requests[0].Header("X-aws-ec2-metadata-token"));
        Assert.Null(guard.Requests[1].Header("X-aws-ec2-metadata-token"));
        Assert.Equal(ImdsTestData.ImdsToken, guard.Requests[3].Header("X-aws-ec2-metadata-token"));
        Assert.Equal(ImdsTestData.ImdsToken, guard.Requests[4].Header("X-aws-ec2-metadata-token"));
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("first-line\r\nX-Injected: 1")]
    [InlineData("first-line\nsecond-line")]
    public async Task GetAsync_TokenEmptyOrWithLineBreak_FailsWithoutSendingIt(string token)
    {
        // The token goes into a header: a value with CR/LF (a broken proxy, header injection) is never sent.
        var handler = new LoopbackGuardHandler(request => request.Method == HttpMethod.Put
            ? ImdsTestData.Text(HttpStatusCode.OK, token)
            : ImdsTestData.Text(HttpStatusCode.OK, "value"));
        ImdsClient client = CreateSut(handler);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await client.GetAsync("/latest/meta-data/a", TestContext.Current.CancellationToken));

        Assert.IsNotType<CredentialUnavailableException>(error);
        Assert.Contains("empty or malformed token", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.Equal(["PUT"], handler.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task GetAsync_V1RequestAnswered401_EndsFallbackAndUsesToken()
    {
        // The token request failed once (fallback), but the instance requires IMDSv2: the 401 sends us back to a token at once.
        int puts = 0;
        var handler = new LoopbackGuardHandler(request => request.Method == HttpMethod.Put
            ? ++puts == 1 ? ImdsTestData.Text(HttpStatusCode.MethodNotAllowed) : ImdsTestData.Token()
            : request.Headers.Contains("X-aws-ec2-metadata-token") ? ImdsTestData.Text(HttpStatusCode.OK, "value") : ImdsTestData.Text(HttpStatusCode.Unauthorized));
        ImdsClient client = CreateSut(handler);

        ImdsResponse response = await client.GetAsync("/latest/meta-data/a", TestContext.Current.CancellationToken);

        Assert.Equal("value", response.Body);
        Assert.Equal(["PUT", "GET", "PUT", "GET"], handler.Requests.Select(r => r.Method));
    }

    [Theory]
    [InlineData("environment", HttpStatusCode.Forbidden)]
    [InlineData("environment", HttpStatusCode.NotFound)]
    [InlineData("options", HttpStatusCode.MethodNotAllowed)]
    public async Task GetAsync_TokenPutRefusedAndV1Disabled_ThrowsWithoutFallback(string where, HttpStatusCode status)
    {
        if (where == "environment")
        {
            _context.Environment["AWS_EC2_METADATA_V1_DISABLED"] = "TRUE";
        }
        else
        {
            _context.Options.InstanceMetadata.DisableV1Fallback = true;
        }

        var handler = new LoopbackGuardHandler(request => request.Method == HttpMethod.Put
            ? ImdsTestData.Text(status)
            : ImdsTestData.Text(HttpStatusCode.OK, "value"));
        ImdsClient client = CreateSut(handler);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await client.GetAsync("/latest/meta-data/a", TestContext.Current.CancellationToken));

        Assert.Single(handler.Requests);
        Assert.False(error.IsRecoverable);
        Assert.Contains(where == "environment" ? "AWS_EC2_METADATA_V1_DISABLED" : "ImdsCredentialOptions.DisableV1Fallback", error.Message, StringComparison.Ordinal);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains(Loopback, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_V1DisabledFromProfile_Honoured()
    {
        ImdsSettings settings = ImdsSettings.Resolve(_context.Options.InstanceMetadata, _context.Environment, key => key == "ec2_metadata_v1_disabled" ? "true" : null);
        Assert.True(settings.V1FallbackDisabled);
        Assert.Contains("ec2_metadata_v1_disabled", settings.V1FallbackDisabledBy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("TRUE")]
    [InlineData("True")]
    [InlineData(" tRuE ")]
    public async Task GetAsync_DisabledInAnyCasing_UnavailableWithoutRequest(string value)
    {
        _context.Environment["AWS_EC2_METADATA_DISABLED"] = value;
        var handler = new LoopbackGuardHandler(_ => ImdsTestData.Token());
        ImdsClient client = CreateSut(handler);

        CredentialUnavailableException error = await Assert.ThrowsAsync<CredentialUnavailableException>(
            async () => await client.GetAsync("/latest/meta-data/a", TestContext.Current.CancellationToken));

        Assert.Empty(handler.Requests);
        Assert.Equal("InstanceMetadata", error.SourceName);
        Assert.Contains("AWS_EC2_METADATA_DISABLED is true", error.Message, StringComparison.Ordinal);
        Assert.Null(await client.GetRegionAsync(TestContext.Current.CancellationToken));
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("0")]
    [InlineData("")]
    public async Task GetAsync_DisabledNotTrue_StaysOn(string value)
    {
        _context.Environment["AWS_EC2_METADATA_DISABLED"] = value;
        var handler = new LoopbackGuardHandler(request => request.Method == HttpMethod.Put ? ImdsTestData.Token() : ImdsTestData.Text(HttpStatusCode.OK, "v"));
        ImdsClient client = CreateSut(handler);

        ImdsResponse response = await client.GetAsync("/latest/meta-data/a", TestContext.Current.CancellationToken);

        Assert.Equal("v", response.Body);
    }

    [Theory]
    [InlineData("options", null, "http://[fd00:ec2::254]/")]
    [InlineData(null, "IPv6", "http://[fd00:ec2::254]/")]
    [InlineData(null, "ipv6", "http://[fd00:ec2::254]/")]
    [InlineData(null, "IPV4", "http://169.254.169.254/")]
    [InlineData(null, null, "http://169.254.169.254/")]
    public void Settings_EndpointMode_FromOptionsOrEnvironmentAnyCasing(string? fromOptions, string? fromEnvironment, string expected)
    {
        var options = new ImdsCredentialOptions { EndpointMode = fromOptions is null ? null : ImdsEndpointMode.IPv6 };
        var environment = new DictionaryEnvironment();
        environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"] = fromEnvironment;

        ImdsSettings settings = ImdsSettings.Resolve(options, environment);

        Assert.Null(settings.ConfigurationError);
        Assert.Equal(expected, settings.Endpoint.AbsoluteUri);
    }

    [Fact]
    public async Task GetRegionAsync_Placement_ReturnsRegion()
    {
        var handler = new LoopbackGuardHandler(request => request.Method == HttpMethod.Put
            ? ImdsTestData.Token()
            : request.RequestUri!.AbsolutePath == "/latest/meta-data/placement/region" ? ImdsTestData.Text(HttpStatusCode.OK, "eu-west-3\n") : ImdsTestData.Text(HttpStatusCode.NotFound));
        ImdsClient client = CreateSut(handler);

        Assert.Equal("eu-west-3", await client.GetRegionAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "")]
    [InlineData(HttpStatusCode.OK, "")]
    [InlineData(HttpStatusCode.OK, "<html>not a region</html>")]
    public async Task GetRegionAsync_NoUsableAnswer_ReturnsNull(HttpStatusCode status, string body)
    {
        var handler = new LoopbackGuardHandler(request => request.Method == HttpMethod.Put ? ImdsTestData.Token() : ImdsTestData.Text(status, body));
        ImdsClient client = CreateSut(handler);

        Assert.Null(await client.GetRegionAsync(TestContext.Current.CancellationToken));
        Assert.Contains(_context.Logs.GetSnapshot(), r => r.Id.Id == ImdsLog.RegionUnavailableId);
    }

    [Fact]
    public async Task GetRegionAsync_Unreachable_ReturnsNull()
    {
        var handler = new LoopbackGuardHandler(_ => throw new HttpRequestException("refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)));
        ImdsClient client = CreateSut(handler);

        Assert.Null(await client.GetRegionAsync(TestContext.Current.CancellationToken));
        Assert.False(client.HasAnswered);
    }

    [Fact]
    public async Task GetRegionAsync_Cancelled_Throws()
    {
        var handler = new LoopbackGuardHandler(_ => ImdsTestData.Token());
        ImdsClient client = CreateSut(handler);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.GetRegionAsync(cancelled.Token));
    }

    [Fact]
    public async Task ImdsCredentialSource_Dispose_DisposesItsOwnClient_AndAnswersObjectDisposedNamingTheSource()
    {
        var handler = new LoopbackGuardHandler(_ => ImdsTestData.Token());
        ImdsClient client = CreateSut(handler);
        var source = new WorkloadCredentials.InstanceMetadata.ImdsCredentialSource(client, "role", _time, _context.Build(_time).CreateTelemetry("test"));

        source.Dispose();
        source.Dispose();

        // The client is disposed with the source: its HttpClient refuses to send.
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.GetAsync("/latest/meta-data/", TestContext.Current.CancellationToken));
        var error = await Assert.ThrowsAsync<ObjectDisposedException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));
        Assert.Equal("InstanceMetadata", error.ObjectName);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("Timeout")]
    [InlineData("FirstContactTimeout")]
    public async Task Create_TimeoutOptionBelowStrategyMinimum_BuiltAndFailsWhenUsed(string option)
    {
        // Unvalidated options (no DI start-up validation) must not make the timeout strategy throw while the chain is built.
        if (option == "Timeout")
        {
            _context.Options.InstanceMetadata.Timeout = TimeSpan.FromMilliseconds(5);
        }
        else
        {
            _context.Options.InstanceMetadata.FirstContactTimeout = TimeSpan.FromMilliseconds(5);
        }

        var handler = new LoopbackGuardHandler(_ => ImdsTestData.Token());
        ImdsClient client = CreateSut(handler);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await client.GetAsync("/latest/meta-data/", TestContext.Current.CancellationToken));

        Assert.False(error.IsRecoverable);
        Assert.Contains($"ImdsCredentialOptions.{option} is 00:00:00.0050000; it must lie between 00:00:00.0100000", error.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void Create_SameContextOtherProfileSettings_EachCallerGetsItsOwnSettings()
    {
        // The region hint and a profile's credential_source share a context but may read different profile settings:
        // each client is built from its own caller's settings.
        _context.Options.InstanceMetadata.Endpoint = null;
        var context = _context.Build(_time, new LoopbackGuardHandler(_ => ImdsTestData.Token()));
        Func<string, string?> first = key => key == "ec2_metadata_service_endpoint" ? "http://127.0.0.1:1001" : null;
        Func<string, string?> second = key => key switch
        {
            "ec2_metadata_service_endpoint" => "http://127.0.0.1:1002",
            "metadata_service_num_attempts" => "5",
            _ => null,
        };

        using ImdsClient a = ImdsClient.Create(context, first);
        using ImdsClient b = ImdsClient.Create(context, second);

        Assert.Equal(1001, a.Settings.Endpoint.Port);
        Assert.Equal(1002, b.Settings.Endpoint.Port);
        Assert.Equal(4, b.Settings.MaxRetryAttempts);
    }

    [Fact]
    public void Settings_Defaults()
    {
        ImdsSettings settings = ImdsSettings.Resolve(new WorkloadCredentials.InstanceMetadata.ImdsCredentialOptions(), new WorkloadCredentials.Internal.DictionaryEnvironment());

        Assert.False(settings.IsDisabled);
        Assert.Null(settings.ConfigurationError);
        Assert.Equal(new Uri("http://169.254.169.254"), settings.Endpoint);
        Assert.False(settings.V1FallbackDisabled);
        Assert.Null(settings.InstanceProfileName);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.FirstContactTimeout);
        Assert.Equal(2, settings.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromHours(6), settings.TokenTtl);
    }

    [Fact]
    public void Settings_EnvironmentTimeoutAndAttempts_Honoured()
    {
        _context.Options.InstanceMetadata.Endpoint = null;
        _context.Environment["AWS_METADATA_SERVICE_TIMEOUT"] = "3";
        _context.Environment["AWS_METADATA_SERVICE_NUM_ATTEMPTS"] = "5";
        _context.Environment["AWS_EC2_INSTANCE_PROFILE_NAME"] = "from-env";

        ImdsSettings settings = ImdsSettings.Resolve(_context.Options.InstanceMetadata, _context.Environment);

        Assert.Equal(TimeSpan.FromSeconds(3), settings.Timeout);
        Assert.Equal(4, settings.MaxRetryAttempts);
        Assert.Equal("from-env", settings.InstanceProfileName);
    }

    [Theory]
    [InlineData("AWS_METADATA_SERVICE_TIMEOUT", "abc", "AWS_METADATA_SERVICE_TIMEOUT is 'abc'")]
    [InlineData("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0", "AWS_METADATA_SERVICE_NUM_ATTEMPTS is '0'")]
    [InlineData("AWS_EC2_INSTANCE_PROFILE_NAME", "a/b", "instance profile name 'a/b'")]
    [InlineData("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5", "`IPv5` is not a valid endpoint mode (AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE)")]
    public async Task GetAsync_InvalidSetting_NonRecoverableErrorNamingIt(string variable, string value, string expected)
    {
        _context.Options.InstanceMetadata.Endpoint = null;
        _context.Environment[variable] = value;
        var handler = new LoopbackGuardHandler(_ => ImdsTestData.Token());
        ImdsClient client = CreateSut(handler);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await client.GetAsync("/latest/meta-data/a", TestContext.Current.CancellationToken));

        Assert.False(error.IsRecoverable);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void Settings_OutOfRangeOptions_ListedWithNames()
    {
        var options = new WorkloadCredentials.InstanceMetadata.ImdsCredentialOptions
        {
            Timeout = TimeSpan.FromMinutes(5),
            FirstContactTimeout = TimeSpan.Zero,
            TokenTtl = TimeSpan.FromHours(7),
            MaxRetryAttempts = 11,
        };

        IReadOnlyList<string> failures = ImdsSettings.Validate(options);

        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.Contains("ImdsCredentialOptions.Timeout is 00:05:00", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ImdsCredentialOptions.FirstContactTimeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ImdsCredentialOptions.TokenTtl", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ImdsCredentialOptions.MaxRetryAttempts is 11", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAsync_FirstTokenRequestAnswers503_RetriedLikeLaterRequests()
    {
        // smithy-rs imds_default_chain_retries: the very first token PUT answers 503, then 200. An answer shows a service is
        // there, so the first contact retries it (only a missing answer is not retried there).
        int puts = 0;
        var handler = new LoopbackGuardHandler(request => request.Method == HttpMethod.Put
            ? (Interlocked.Increment(ref puts) == 1 ? ImdsTestData.Text(HttpStatusCode.ServiceUnavailable) : ImdsTestData.Token())
            : ImdsTestData.Text(HttpStatusCode.OK, "value"));
        ImdsClient client = ImdsClient.Create(_context.Build(TimeProvider.System, handler)); // real (short) backoff

        ImdsResponse response = await client.GetAsync("/latest/meta-data/a", TestContext.Current.CancellationToken);

        Assert.Equal("value", response.Body);
        Assert.Equal(["PUT", "PUT", "GET"], handler.Requests.Select(r => r.Method));
        Assert.Equal(ImdsTestData.ImdsToken, handler.Requests[2].Header("X-aws-ec2-metadata-token"));
    }

    private ImdsClient CreateSut(HttpMessageHandler handler) => ImdsClient.Create(_context.Build(_time, handler));

    /// <summary>Holds the first token PUT until it is cancelled (no answer, as behind a hop limit of 1); passes the rest on.</summary>
    private sealed class FirstTokenPutHangsHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly TaskCompletionSource _firstPutArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _puts;

        public Task FirstPutArrived => _firstPutArrived.Task;

        public bool FirstPutCancelled { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Put && Interlocked.Increment(ref _puts) == 1)
            {
                _firstPutArrived.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    FirstPutCancelled = true;
                    throw;
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
