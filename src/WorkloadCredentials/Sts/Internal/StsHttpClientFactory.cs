using System.Net;
using Amazon.Runtime;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// Hands an AWS SDK STS client its HTTP clients: all over one <see cref="StsResponseGuardHandler"/> (no redirect is ever followed,
/// answers are capped at <see cref="StsResponseGuardHandler.MaxResponseBytes"/>) over either the injected handler (tests, recorded
/// scenarios) or a <see cref="SocketsHttpHandler"/> of our own that never follows redirects and bounds the response headers. One
/// factory per SDK client: its connections are pooled for the life of the client and released when the factory is disposed with it.
/// </summary>
internal sealed class StsHttpClientFactory : HttpClientFactory, IDisposable
{
    /// <summary>The most response headers an STS answer may carry, in KiB (STS sends well under 1 KiB).</summary>
    public const int MaxResponseHeadersKiB = 64;

    private readonly StsResponseGuardHandler _guard;
    private readonly bool _ownsConnections;

    /// <param name="injected">A handler replacing the network, or <see langword="null"/> for real connections. Never disposed here.</param>
    /// <param name="connectCallback">Opens the real connections instead of the default (tests keep them on loopback), or <see langword="null"/>.</param>
    public StsHttpClientFactory(HttpMessageHandler? injected, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connectCallback = null)
    {
        _ownsConnections = injected is null;
        _guard = new StsResponseGuardHandler(injected ?? CreateSocketsHandler(connectCallback));
    }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(_guard, disposeHandler: false) { Timeout = clientConfig?.Timeout ?? Timeout.InfiniteTimeSpan };

    /// <summary>The SDK keeps the clients per SDK client (a null <see cref="GetConfigUniqueString"/>), never in its global cache.</summary>
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) => null!;

    /// <summary>Closes the pooled connections; an injected handler belongs to whoever injected it and is left alone.</summary>
    public void Dispose()
    {
        if (_ownsConnections)
        {
            _guard.Dispose();
        }
    }

    private static SocketsHttpHandler CreateSocketsHandler(Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connectCallback)
    {
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxResponseHeadersLength = MaxResponseHeadersKiB,
            MaxResponseDrainSize = 0,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),

            // A proxy from the environment (HTTPS_PROXY) is honoured, as by the SDK; a connect callback (the test suite's loopback
            // guard) sees the real host.
            UseProxy = connectCallback is null,
            ConnectCallback = connectCallback,
        };
    }
}
