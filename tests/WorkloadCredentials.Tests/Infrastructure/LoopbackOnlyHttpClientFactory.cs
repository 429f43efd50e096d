using Amazon.Runtime;

namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>
/// An AWS SDK <see cref="HttpClientFactory"/> whose clients refuse any request to a host that is not loopback, and count requests:
/// a test client configured with it can never reach a real AWS endpoint.
/// </summary>
public sealed class LoopbackOnlyHttpClientFactory : HttpClientFactory
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new LoopbackOnlyHandler(this));

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private sealed class LoopbackOnlyHandler(LoopbackOnlyHttpClientFactory owner) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Check(request);
            return base.SendAsync(request, cancellationToken);
        }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Check(request);
            return base.Send(request, cancellationToken);
        }

        private void Check(HttpRequestMessage request)
        {
            Uri uri = request.RequestUri ?? throw new InvalidOperationException("A request without a URI.");
            if (!NetworkSafety.IsLoopback(uri.Host))
            {
                throw new InvalidOperationException($"Refused a request to {uri.Host}: tests may only reach loopback.");
            }

            Interlocked.Increment(ref owner._requests);
        }
    }
}
