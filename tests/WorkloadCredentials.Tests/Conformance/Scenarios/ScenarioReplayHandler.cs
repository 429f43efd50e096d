using System.Net;
using System.Text;

namespace WorkloadCredentials.Tests.Conformance.Scenarios;

/// <summary>
/// Replaces the network for one scenario, judging the run as the smithy-rs harness does: the N-th request the client sends, to any
/// host, gets connection N's recorded answer; each request must match its recording in scheme, host, port, path and the set of query
/// parameters, and carry the recorded <c>x-aws-ec2-metadata-token</c> where one was recorded (bodies, methods, SigV4 and the TTL
/// header are not checked). <see cref="AssertComplete"/> then checks that every recorded request was sent and nothing else.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Guard: a request to a host the recording does not name is never answered (it fails the test), so nothing
/// can leave the process and nothing unrecorded can go unnoticed.</description></item>
/// <item><description>The IMDS extended API (<c>/latest/meta-data/iam/security-credentials-extended/</c>) postdates the recordings:
/// an unrecorded request to it is answered 404, as an IMDS without the extended API answers, without consuming a recorded
/// answer, and is counted in <see cref="ExtendedApiProbes"/>.</description></item>
/// <item><description>Violations are collected rather than thrown into the client, whose error handling could otherwise turn a
/// replay mismatch into an ordinary "unavailable" outcome.</description></item>
/// </list>
/// </remarks>
internal sealed class ScenarioReplayHandler : HttpMessageHandler
{
    public const string ExtendedApiPrefix = "/latest/meta-data/iam/security-credentials-extended/";

    private readonly IReadOnlyList<RecordedExchange> _exchanges;
    private readonly int _recordedCount;
    private readonly HashSet<string> _hosts;
    private readonly List<string> _violations = [];
    private readonly List<string> _extendedProbes = [];
    private readonly List<string> _sent = [];
    private readonly Lock _gate = new();
    private int _next;

    /// <param name="recorded">The recorded exchanges, in order.</param>
    /// <param name="appendix">
    /// Exchanges our client sends after the recording where it deliberately differs from smithy-rs (for example the IMDSv1
    /// fallback); judged like the recorded ones, plus <see cref="RecordedExchange.MetadataToken"/> <see langword="null"/> meaning
    /// "must carry no token".
    /// </param>
    public ScenarioReplayHandler(IReadOnlyList<RecordedExchange> recorded, IReadOnlyList<RecordedExchange>? appendix = null)
    {
        _recordedCount = recorded.Count;
        _exchanges = [.. recorded, .. appendix ?? []];
        _hosts = new HashSet<string>(_exchanges.Select(e => HostKey(e.Uri)), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Gets the unrecorded extended-API requests answered 404 (paths, in order).</summary>
    public IReadOnlyList<string> ExtendedApiProbes
    {
        get
        {
            lock (_gate)
            {
                return [.. _extendedProbes];
            }
        }
    }

    /// <summary>Gets every request sent (method and URI), in order, for failure messages.</summary>
    public IReadOnlyList<string> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>Fails unless every recorded (and appended) request was sent, in order, and nothing else was.</summary>
    public void AssertComplete()
    {
        lock (_gate)
        {
            string sent = string.Join("\n  ", _sent);
            Assert.True(_violations.Count == 0, "Replay violations:\n  " + string.Join("\n  ", _violations) + "\nSent:\n  " + sent);
            Assert.True(
                _next == _exchanges.Count,
                $"{_exchanges.Count - _next} recorded request(s) were never sent: {string.Join(", ", _exchanges.Skip(_next))}.\nSent:\n  " + sent);
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri uri = request.RequestUri!;
        string? token = request.Headers.TryGetValues("x-aws-ec2-metadata-token", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
        lock (_gate)
        {
            _sent.Add($"{request.Method} {uri}{(token is null ? string.Empty : " (token)")}");
            if (!_hosts.Contains(HostKey(uri)))
            {
                _violations.Add($"request to {HostKey(uri)}, a host the recording does not name ({request.Method} {uri}); not sent");
                throw new HttpRequestException(HttpRequestError.ConnectionError, "The scenario replay refused a request to an unrecorded host.");
            }

            RecordedExchange? next = _next < _exchanges.Count ? _exchanges[_next] : null;
            if (uri.AbsolutePath.StartsWith(ExtendedApiPrefix, StringComparison.Ordinal)
                && (next is null || !string.Equals(next.Uri.AbsolutePath, uri.AbsolutePath, StringComparison.Ordinal)))
            {
                _extendedProbes.Add(uri.AbsolutePath);
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)
                {
                    RequestMessage = request,
                    Content = new StringContent(string.Empty),
                });
            }

            if (next is null)
            {
                _violations.Add($"request #{_next} ({request.Method} {uri}) comes after the {_exchanges.Count} recorded one(s)");
                _next++;
                throw new HttpRequestException(HttpRequestError.ConnectionError, "The scenario replay has no more recorded answers.");
            }

            bool appended = _next >= _recordedCount;
            string label = appended ? $"appended request #{_next - _recordedCount}" : $"request #{_next} (connection {next.ConnectionId})";
            _next++;
            Check(label, next, uri, token, appended);
            return Task.FromResult(ToResponse(next, request));
        }
    }

    private static string HostKey(Uri uri) => uri.Scheme + "://" + uri.Host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string NormalizedPath(Uri uri) => uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath;

    private static SortedSet<string> QuerySet(Uri uri) =>
        new(uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString), StringComparer.Ordinal);

    private static HttpResponseMessage ToResponse(RecordedExchange exchange, HttpRequestMessage request)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(exchange.ResponseBody));
        var response = new HttpResponseMessage(exchange.Status) { RequestMessage = request, Content = content };
        foreach ((string name, IReadOnlyList<string> values) in exchange.ResponseHeaders)
        {
            if (name is "content-length" or "connection" or "transfer-encoding")
            {
                continue; // stale in the recordings: the content length is recomputed from the body
            }

            if (!response.Headers.TryAddWithoutValidation(name, values))
            {
                content.Headers.TryAddWithoutValidation(name, values);
            }
        }

        return response;
    }

    private void Check(string label, RecordedExchange expected, Uri actual, string? token, bool appended)
    {
        if (!string.Equals(expected.Uri.Scheme, actual.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(expected.Uri.Host, actual.Host, StringComparison.OrdinalIgnoreCase)
            || expected.Uri.Port != actual.Port)
        {
            _violations.Add($"{label}: sent to {HostKey(actual)}, recorded {HostKey(expected.Uri)}");
        }

        if (!string.Equals(NormalizedPath(expected.Uri), NormalizedPath(actual), StringComparison.Ordinal))
        {
            _violations.Add($"{label}: path {NormalizedPath(actual)}, recorded {NormalizedPath(expected.Uri)}");
        }

        SortedSet<string> expectedQuery = QuerySet(expected.Uri);
        SortedSet<string> actualQuery = QuerySet(actual);
        if (!expectedQuery.SetEquals(actualQuery))
        {
            _violations.Add($"{label}: query {{{string.Join(", ", actualQuery)}}}, recorded {{{string.Join(", ", expectedQuery)}}}");
        }

        if (expected.MetadataToken is { } recordedToken)
        {
            if (!string.Equals(recordedToken, token, StringComparison.Ordinal))
            {
                _violations.Add($"{label}: x-aws-ec2-metadata-token {(token is null ? "missing" : "differs")}, recorded");
            }
        }
        else if (appended && token is not null)
        {
            _violations.Add($"{label}: carries an x-aws-ec2-metadata-token, expected none (IMDSv1)");
        }
    }
}
