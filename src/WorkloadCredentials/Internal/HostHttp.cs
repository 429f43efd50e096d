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
    public static HttpClient CreateClient(HttpMessageHandler? handler, bool useProxy)
    {
        Func<string, bool>? guard = ConnectionGuard;
        HttpMessageHandler inner = handler ?? new SocketsHttpHandler
        {
            UseProxy = useProxy && guard is null,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectCallback = guard is null ? null : (context, cancellationToken) => GuardedConnectAsync(guard, context, cancellationToken),
        };

        return new HttpClient(inner, disposeHandler: handler is null)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
    }

    /// <summary>
    /// Gets or sets a check every connection the host sources open must pass, or <see langword="null"/> (production). The test
    /// suite sets it to "loopback only" so that no test can ever reach the real instance metadata or container endpoints.
    /// </summary>
    internal static Func<string, bool>? ConnectionGuard { get; set; }

    internal static async ValueTask<Stream> GuardedConnectAsync(Func<string, bool> guard, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (!guard(context.DnsEndPoint.Host))
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection to " + context.DnsEndPoint.Host + " blocked by the connection guard.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
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
