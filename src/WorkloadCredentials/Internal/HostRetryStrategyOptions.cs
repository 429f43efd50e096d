using Polly;
using Polly.Retry;

namespace WorkloadCredentials.Internal;

/// <summary>
/// Retries of the host sources' requests (instance metadata, container credentials): connection errors, timeouts, 5xx and 429,
/// exponential backoff with jitter (as <c>HttpRetryStrategyOptions</c> does for HTTP in general). Each source gives its own
/// strategy name and delays; the attempts come from its settings.
/// </summary>
internal sealed class HostRetryStrategyOptions : RetryStrategyOptions<HttpResponseMessage>
{
    public HostRetryStrategyOptions(string name, TimeSpan delay, TimeSpan maxDelay)
    {
        Name = name;
        ShouldHandle = static args => HostHttp.IsTransient(args.Outcome);
        BackoffType = DelayBackoffType.Exponential;
        UseJitter = true;
        Delay = delay;
        MaxDelay = maxDelay;
    }
}
