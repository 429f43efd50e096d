using System.Collections.Concurrent;
using System.Net;

namespace WorkloadCredentials.Tests.Sts.Fakes;

/// <summary>
/// Replaces the network: records each request (URI, headers, body) and answers from a function. Nothing leaves the process.
/// With an inner handler it forwards instead (to a loopback server) and only records.
/// </summary>
public sealed class RecordingHandler : DelegatingHandler
{
    private readonly Func<HttpRequestMessage, string, HttpResponseMessage>? _answer;

    public RecordingHandler(Func<HttpRequestMessage, string, HttpResponseMessage> answer) => _answer = answer;

    public RecordingHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    public ConcurrentQueue<(Uri Uri, string Body, string? Authorization)> Requests { get; } = new();

    public static RecordingHandler Answering(string xml) =>
        new((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(xml, System.Text.Encoding.UTF8, "text/xml") });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        string? authorization = request.Headers.TryGetValues("Authorization", out IEnumerable<string>? values) ? string.Join(",", values) : null;
        Requests.Enqueue((request.RequestUri!, body, authorization));
        if (_answer is not null)
        {
            return _answer(request, body);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
