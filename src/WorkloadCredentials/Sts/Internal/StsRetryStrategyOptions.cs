using Polly;
using Polly.Retry;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// Retries the transient STS failures (throttling, 5xx, <c>IDPCommunicationError</c>, attempt timeouts, connection errors) with
/// exponential backoff and jitter. The SDK client's own retries are off, so this is the only retry layer.
/// </summary>
internal sealed class StsRetryStrategyOptions : RetryStrategyOptions
{
    public StsRetryStrategyOptions(int maxRetryAttempts, TimeSpan baseDelay)
    {
        Name = "StsRetry";
        MaxRetryAttempts = maxRetryAttempts;
        Delay = baseDelay;
        MaxDelay = TimeSpan.FromSeconds(10);
        BackoffType = DelayBackoffType.Exponential;
        UseJitter = true;
        ShouldHandle = static args => new ValueTask<bool>(args.Outcome.Exception is { } exception && StsErrorClassifier.IsTransient(exception));
    }
}
