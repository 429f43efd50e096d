namespace WorkloadCredentials.Sts.Internal;

/// <summary>A resolved STS endpoint: where to send requests, the region to sign for, and which setting chose it.</summary>
/// <param name="Url">The endpoint URL.</param>
/// <param name="SigningRegion">The region the requests are signed for.</param>
/// <param name="Origin">The setting that chose the endpoint, for logs and messages (e.g. <c>AWS_ENDPOINT_URL_STS</c>).</param>
internal sealed record StsEndpoint(Uri Url, string SigningRegion, string Origin);
