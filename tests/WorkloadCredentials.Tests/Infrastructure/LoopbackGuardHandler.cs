using System.Collections.Concurrent;

namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>
/// A terminal <see cref="HttpMessageHandler"/> that answers in memory and fails the test if any request names a host other than
/// loopback (127.0.0.1, ::1, localhost): a guard that nothing is ever addressed to 169.254.169.254, 169.254.170.x or AWS.
/// It records every request (method, URI, headers) so tests can assert the IMDSv2 token header and call counts.
/// </summary>
public sealed class LoopbackGuardHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, HttpResponseMessage> _respond;
    private readonly ConcurrentQueue<RecordedHttpRequest> _requests = new();

    public LoopbackGuardHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) => _respond = respond;

    public IReadOnlyList<RecordedHttpRequest> Requests => _requests.ToArray();

    public static bool IsLoopback(Uri uri) => NetworkSafety.IsLoopback(uri.Host);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri uri = request.RequestUri!;
        if (!IsLoopback(uri))
        {
            Assert.Fail($"A request was addressed to non-loopback host '{uri.Host}' ({uri}). Tests must point every endpoint at loopback.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        _requests.Enqueue(new RecordedHttpRequest(
            request.Method.Method,
            uri,
            request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)));
        HttpResponseMessage response = _respond(request);
        response.RequestMessage ??= request;
        return Task.FromResult(response);
    }
}

public sealed record RecordedHttpRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}
