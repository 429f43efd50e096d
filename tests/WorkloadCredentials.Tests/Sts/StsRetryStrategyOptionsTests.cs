using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.Tests.Sts;

/// <summary>The STS retry policy itself: exponential backoff with jitter, and exactly the transient failures retried.</summary>
public sealed class StsRetryStrategyOptionsTests
{
    public static TheoryData<string, Exception, bool> Failures => new()
    {
        { "Throttling", Service("Throttling", HttpStatusCode.BadRequest), true },
        { "RequestLimitExceeded", Service("RequestLimitExceeded", HttpStatusCode.BadRequest), true },
        { "HTTP 429", Service("TooManyRequests", (HttpStatusCode)429), true },
        { "HTTP 500", Service("InternalFailure", HttpStatusCode.InternalServerError), true },
        { "HTTP 503", Service("ServiceUnavailable", HttpStatusCode.ServiceUnavailable), true },
        { "IDPCommunicationError", Service("IDPCommunicationError", HttpStatusCode.BadRequest), true },
        { "attempt timeout", new TimeoutRejectedException(), true },
        { "connection refused", new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)), true },
        { "AccessDenied", Service("AccessDenied", HttpStatusCode.Forbidden), false },
        { "InvalidIdentityToken", Service("InvalidIdentityToken", HttpStatusCode.BadRequest), false },
        { "ExpiredTokenException", Service("ExpiredTokenException", HttpStatusCode.BadRequest), false },
        { "MalformedPolicyDocument", Service("MalformedPolicyDocument", HttpStatusCode.BadRequest), false },
        { "RegionDisabledException", Service("RegionDisabledException", HttpStatusCode.Forbidden), false },
        { "malformed XML", new System.Xml.XmlException("bad"), false },
    };

    [Fact]
    public void Ctor_ExponentialBackoffWithJitterAndTheGivenBudget()
    {
        var options = new StsRetryStrategyOptions(4, TimeSpan.FromMilliseconds(250));

        Assert.Equal(DelayBackoffType.Exponential, options.BackoffType);
        Assert.True(options.UseJitter);
        Assert.Equal(4, options.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Delay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MaxDelay);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task ShouldHandle_RetriesExactlyTheTransientFailures(string name, Exception failure, bool retried)
    {
        var options = new StsRetryStrategyOptions(3, TimeSpan.FromMilliseconds(1));
        ResilienceContext context = ResilienceContextPool.Shared.Get(TestContext.Current.CancellationToken);
        try
        {
            bool handled = await options.ShouldHandle(new RetryPredicateArguments<object>(context, Outcome.FromException<object>(failure), 0));

            Assert.True(retried == handled, $"{name}: expected retried={retried}");
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static AmazonServiceException Service(string code, HttpStatusCode status) =>
        new AmazonSecurityTokenServiceException("fault") { ErrorCode = code, StatusCode = status };
}
