using System.Net;
using System.Net.Sockets;
using Polly;
using Polly.Timeout;

namespace WorkloadCredentials.Internal;

/// <summary>
/// HTTP plumbing shared by the two host sources (instance metadata and container credentials): the client, what counts as
/// transient, and how a failure is described (endpoint and cause, never a header or a body).
/// </summary>
internal static partial class HostHttp
{
    /// <summary>The most a host source reads of an answer: credentials documents are a few kilobytes.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    /// <summary>
    /// Creates the client. With <paramref name="handler"/> (tests, recorded scenarios) every request goes through it;
    /// otherwise a dedicated handler that never follows redirects and, unless <paramref name="useProxy"/>, bypasses any proxy
    /// (link-local and loopback services must be reached directly, as the AWS SDKs do).
    /// </summary>
    /// <param name="handler">A handler that replaces the network, or <see langword="null"/>; never disposed with the client.</param>
    /// <param name="useProxy">Whether a proxy from the environment may be used.</param>
    /// <param name="connectCallback">
    /// Opens the connections instead of the default (<see cref="CredentialSourceContext.ConnectCallback"/>: the test suite keeps every
    /// connection on loopback with it), or <see langword="null"/>. With one, no proxy is used: the callback sees the real host.
    /// </param>
    public static HttpClient CreateClient(HttpMessageHandler? handler, bool useProxy, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connectCallback = null)
    {
        HttpMessageHandler inner = handler ?? new SocketsHttpHandler
        {
            UseProxy = useProxy && connectCallback is null,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectCallback = connectCallback,
        };

        return new HttpClient(inner, disposeHandler: handler is null)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
    }

    /// <summary>AWS-transient outcomes: connection errors, timeouts, 5xx and 429 (throttling).</summary>
    public static ValueTask<bool> IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException } => PredicateResult.True(),
        { Exception: TimeoutRejectedException } => PredicateResult.True(),
        { Result: { } response } => new ValueTask<bool>(IsTransient(response.StatusCode)),
        _ => PredicateResult.False(),
    };

    public static bool IsTransient(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests;

    /// <summary>Describes a transport failure briefly: "connection refused", "timed out after 1 s", ...</summary>
    public static string DescribeFailure(Exception exception, TimeSpan timeout)
    {
        return exception switch
        {
            TimeoutRejectedException => "no answer within " + FormatDuration(timeout),
            HttpRequestException { InnerException: SocketException socket } => DescribeSocketError(socket.SocketErrorCode),
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "the host name did not resolve",
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "the connection failed",
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => "the connection closed before an answer",
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "the TLS handshake failed",
            HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded } => "the answer is larger than " + (MaxResponseBytes / 1024) + " KiB",
            HttpRequestException => "the request failed (" + exception.GetType().Name + ")",
            _ => exception.GetType().Name,
        };
    }

    public static string FormatDuration(TimeSpan duration) =>
        duration.TotalSeconds >= 1 && duration.Milliseconds == 0
            ? ((int)duration.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + " s"
            : ((int)duration.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + " ms";

    public static string DescribeStatus(HttpStatusCode status) =>
        ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + status;

    /// <summary>The endpoint as it may be shown: scheme, host, port and path; never a query string or user info.</summary>
    public static string Display(Uri uri) => uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    private static string DescribeSocketError(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused (nothing listens there)",
        SocketError.TimedOut => "the connection timed out",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "the host is unreachable",
        SocketError.ConnectionReset => "the connection was reset",
        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "the host name did not resolve",
        _ => "socket error " + error,
    };
}
