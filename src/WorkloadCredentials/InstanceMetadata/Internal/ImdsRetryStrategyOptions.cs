using Polly;
using Polly.Retry;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.InstanceMetadata.Internal;

/// <summary>
/// Retries of instance metadata requests once the service has answered before: connection errors, timeouts, 5xx and 429,
/// exponential backoff with jitter (as <c>HttpRetryStrategyOptions</c> does for HTTP in general).
/// </summary>
internal sealed class ImdsRetryStrategyOptions : RetryStrategyOptions<HttpResponseMessage>
{
    public ImdsRetryStrategyOptions()
    {
        Name = "ImdsRetry";
        ShouldHandle = static args => HostHttp.IsTransient(args.Outcome);
        BackoffType = DelayBackoffType.Exponential;
        UseJitter = true;
        Delay = ImdsConstants.DefaultRetryDelay;
        MaxDelay = TimeSpan.FromSeconds(1);
        MaxRetryAttempts = ImdsConstants.DefaultMaxRetryAttempts;
    }
}
