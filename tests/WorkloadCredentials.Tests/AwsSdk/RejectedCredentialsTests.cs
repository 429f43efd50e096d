using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.AwsSdk;
using WorkloadCredentials.AwsSdk.Internal;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

namespace WorkloadCredentials.Tests.AwsSdk;

/// <summary>
/// A service rejects the credentials a real S3 client signed with (a loopback Kestrel server answering <c>ExpiredToken</c>): the cache
/// is invalidated for that access key and the SDK's retry signs with the fresh credentials; at most once per interval.
/// </summary>
public sealed class RejectedCredentialsTests : IAsyncLifetime
{
    private const string ListBucketsXml = """<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>o</ID></Owner><Buckets></Buckets></ListAllMyBucketsResult>""";

    private readonly LoopbackOnlyHttpClientFactory _http = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private LoopbackHttpServer? _server;
    private int _rejectionsLeft;
    private string _rejectedCode = "ExpiredToken";

    private LoopbackHttpServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() =>
        _server = await LoopbackHttpServer.StartAsync(AnswerAsync, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("ExpiredToken")]
    [InlineData("RequestExpired")]
    [InlineData("InvalidClientTokenId")]
    public async Task Rejection_InvalidatesAndRetrySignsWithFreshCredentials(string code)
    {
        _rejectedCode = code;
        _rejectionsLeft = 1;
        var source = new SequenceSource(_time);
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), _time, new WorkloadCredentials.Internal.Telemetry.CredentialTelemetry(SecretScanLogging.Logger), () => 0.5, static r => r(), null);
        using AmazonS3Client client = CreateClient(new WorkloadAwsCredentials(cache));

        ListBucketsResponse response = await client.ListBucketsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.HttpStatusCode);
        Assert.Equal(["AKIDSEQUENCE0001", "AKIDSEQUENCE0002"], Server.Requests.Select(r => RejectedCredentials.AccessKeyIdOf(r.Header("Authorization"))));
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task RejectedAgainWithinInterval_NoSecondInvalidation_CallerSeesServiceException()
    {
        _rejectionsLeft = 3;
        var source = new SequenceSource(_time);
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), _time, new WorkloadCredentials.Internal.Telemetry.CredentialTelemetry(SecretScanLogging.Logger), () => 0.5, static r => r(), null);
        using AmazonS3Client client = CreateClient(new WorkloadAwsCredentials(cache));

        // First rejection: invalidated, retried with key 2; rejected again at once: no refresh storm, the service's error surfaces.
        AmazonS3Exception error = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.ListBucketsAsync(TestContext.Current.CancellationToken));

        Assert.Equal("ExpiredToken", error.ErrorCode);
        Assert.IsNotType<CredentialsRejectedException>(error);
        Assert.Equal(2, Server.Requests.Count);
        Assert.Equal(2, source.Calls);

        // After the interval a new rejection invalidates again.
        _time.Advance(WorkloadAwsCredentials.MinInvalidationInterval);
        _rejectionsLeft = 1;
        _ = await client.ListBucketsAsync(TestContext.Current.CancellationToken);
        Assert.Equal(3, source.Calls);
        Assert.Equal("AKIDSEQUENCE0003", RejectedCredentials.AccessKeyIdOf(Server.Requests[^1].Header("Authorization")));
    }

    [Fact]
    public async Task OtherCredentials_NotRetriedOrTouched()
    {
        _rejectionsLeft = 1;
        using AmazonS3Client client = CreateClient(new BasicAWSCredentials("AKIDNOTOURS00001", "not-ours-secret-key-000000000000"));

        AmazonS3Exception error = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.ListBucketsAsync(TestContext.Current.CancellationToken));

        Assert.Equal("ExpiredToken", error.ErrorCode);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task OtherErrorCode_NotInvalidated()
    {
        _rejectedCode = "AccessDenied";
        _rejectionsLeft = 1;
        var source = new SequenceSource(_time);
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), _time, new WorkloadCredentials.Internal.Telemetry.CredentialTelemetry(SecretScanLogging.Logger), () => 0.5, static r => r(), null);
        using AmazonS3Client client = CreateClient(new WorkloadAwsCredentials(cache));

        _ = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.ListBucketsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(1, source.Calls);
        Assert.Single(Server.Requests);
    }

    private AmazonS3Client CreateClient(AWSCredentials credentials) => new(credentials, new AmazonS3Config
    {
        ServiceURL = Server.Endpoint.ToString(),
        AuthenticationRegion = "us-east-1",
        ForcePathStyle = true,
        MaxErrorRetry = 2,
        HttpClientFactory = _http,
    });

    private async Task AnswerAsync(HttpContext context)
    {
        if (Interlocked.Decrement(ref _rejectionsLeft) >= 0)
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{_rejectedCode}</Code><Message>The provided token has expired.</Message><RequestId>r1</RequestId></Error>");
            return;
        }

        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(ListBucketsXml);
    }

    /// <summary>Answers AKIDSEQUENCE0001, 0002, ...: each fetch a new key, valid for an hour.</summary>
    private sealed class SequenceSource(TimeProvider time) : IAwsCredentialSource
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
        {
            int n = Interlocked.Increment(ref _calls);
            string key = $"AKIDSEQUENCE{n:0000}";
            return new ValueTask<AwsCredentials>(new AwsCredentials(key, "sequence-secret-" + key, "sequence-token-" + key, time.GetUtcNow().AddHours(1), "Sequence"));
        }
    }
}
