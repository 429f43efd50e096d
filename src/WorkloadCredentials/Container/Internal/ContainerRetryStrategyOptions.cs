using Polly;
using Polly.Retry;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Container.Internal;

/// <summary>Retries of container credentials requests: connection errors, timeouts, 5xx and 429, exponential backoff with jitter.</summary>
internal sealed class ContainerRetryStrategyOptions : RetryStrategyOptions<HttpResponseMessage>
{
    public ContainerRetryStrategyOptions()
    {
        Name = "ContainerRetry";
        ShouldHandle = static args => HostHttp.IsTransient(args.Outcome);
        BackoffType = DelayBackoffType.Exponential;
        UseJitter = true;
        Delay = ContainerConstants.DefaultRetryDelay;
        MaxDelay = TimeSpan.FromSeconds(2);
        MaxRetryAttempts = ContainerConstants.DefaultMaxRetryAttempts;
    }
}
