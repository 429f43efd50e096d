using System.Net;

namespace WorkloadCredentials.Tests.Conformance.Scenarios;

/// <summary>One recorded connection of a smithy-rs <c>http-traffic.json</c>: the request the SDK sent and the answer it got.</summary>
/// <param name="ConnectionId">The recording's connection id.</param>
/// <param name="Method">The recorded method (not checked, as in the original harness).</param>
/// <param name="Uri">The recorded request URI.</param>
/// <param name="RequestHeaders">The recorded request headers (names lower case).</param>
/// <param name="Status">The recorded response status.</param>
/// <param name="ResponseHeaders">The recorded response headers, without the stale <c>content-length</c>.</param>
/// <param name="ResponseBody">The recorded response body (the Data events in the response direction, concatenated).</param>
internal sealed record RecordedExchange(
    int ConnectionId,
    string Method,
    Uri Uri,
    IReadOnlyDictionary<string, IReadOnlyList<string>> RequestHeaders,
    HttpStatusCode Status,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ResponseHeaders,
    string ResponseBody)
{
    /// <summary>Gets the recorded IMDS session token header, or <see langword="null"/> when the request did not carry one.</summary>
    public string? MetadataToken =>
        RequestHeaders.TryGetValue("x-aws-ec2-metadata-token", out IReadOnlyList<string>? values) ? values.FirstOrDefault() : null;

    public override string ToString() => $"#{ConnectionId} {Method} {Uri} -> {(int)Status}";
}
