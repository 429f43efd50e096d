using Amazon.Runtime;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// Hands the SDK client one <see cref="HttpClient"/> over the injected handler (tests, recorded scenarios), so all STS traffic goes
/// through it. Used only when a handler is injected; otherwise the SDK manages its own connections.
/// </summary>
internal sealed class StsHttpClientFactory(HttpMessageHandler handler) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) =>
        "workload-credentials-sts-" + handler.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
