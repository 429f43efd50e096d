using Amazon.Runtime;
using Amazon.SSO;
using Amazon.SSOOIDC;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.Sso.Internal;

/// <summary>
/// The source's AWS SDK clients for the portal (<c>GetRoleCredentials</c>) and SSO OIDC (<c>CreateToken</c>), each built at its first
/// use and kept for the life of the source. Both calls are unsigned (the bearer token or the refresh token is the proof); each client
/// has an explicit endpoint and region (the SDK never probes for either), no SDK retry (the cache retries later) and the library's
/// HTTP clients (no redirect followed, answers capped, the injected handler of tests and recorded scenarios).
/// </summary>
internal sealed class SsoServiceClients : IDisposable
{
    private readonly CredentialSourceContext _context;
    private readonly SsoProfileRequest _request;
    private readonly object _lock = new();
    private Built<AmazonSSOClient>? _portal;
    private Built<AmazonSSOOIDCClient>? _oidc;
    private bool _disposed;

    public SsoServiceClients(CredentialSourceContext context, SsoProfileRequest request)
    {
        _context = context;
        _request = request;
    }

    /// <summary>Gets the portal client and its endpoint.</summary>
    /// <exception cref="AwsCredentialException">The configured endpoint or the region is invalid.</exception>
    public (AmazonSSOClient Client, SsoEndpoint Endpoint) Portal()
    {
        Built<AmazonSSOClient> built = Get(ref _portal, SsoEndpointResolver.Portal, static (AmazonSSOConfig config) => new AmazonSSOClient(new AnonymousAWSCredentials(), config));
        return (built.Client, built.Endpoint);
    }

    /// <summary>Gets the SSO OIDC client and its endpoint.</summary>
    /// <exception cref="AwsCredentialException">The configured endpoint or the region is invalid.</exception>
    public (AmazonSSOOIDCClient Client, SsoEndpoint Endpoint) Oidc()
    {
        Built<AmazonSSOOIDCClient> built = Get(ref _oidc, SsoEndpointResolver.Oidc, static (AmazonSSOOIDCConfig config) => new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), config));
        return (built.Client, built.Endpoint);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _portal?.Dispose();
            _oidc?.Dispose();
        }
    }

    private Built<TClient> Get<TClient, TConfig>(ref Built<TClient>? slot, Func<SsoProfileRequest, bool, SsoEndpoint> resolve, Func<TConfig, TClient> create)
        where TClient : IDisposable
        where TConfig : ClientConfig, new()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (slot is null)
            {
                SsoEndpoint endpoint = resolve(_request, _context.AllowPlainHttpToAnyHost);
                var http = new StsHttpClientFactory(_context.HttpHandler, _context.ConnectCallback);
                var config = new TConfig { ServiceURL = endpoint.Url.AbsoluteUri, AuthenticationRegion = _request.Region };
                Configure(config, http);
                slot = new Built<TClient>(create(config), http, endpoint);
            }

            return slot;
        }
    }

    private static void Configure(ClientConfig config, StsHttpClientFactory http)
    {
        config.MaxErrorRetry = 0;
        config.RetryMode = RequestRetryMode.Standard;
        config.DefaultConfigurationMode = DefaultConfigurationMode.Standard;
        config.Timeout = SsoConstants.CallTimeout;
        config.AllowAutoRedirect = false;
        config.HttpClientFactory = http;
    }

    private sealed record Built<TClient>(TClient Client, StsHttpClientFactory Http, SsoEndpoint Endpoint) : IDisposable
        where TClient : IDisposable
    {
        public void Dispose()
        {
            Client.Dispose();
            Http.Dispose();
        }
    }
}
