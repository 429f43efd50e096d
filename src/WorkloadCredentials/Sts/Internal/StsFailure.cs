namespace WorkloadCredentials.Sts.Internal;

/// <summary>A failed STS call, classified; the sources turn it into a message that names the role and the likely fix.</summary>
/// <param name="Kind">The kind of failure.</param>
/// <param name="ErrorCode">The STS error code, where STS answered with one.</param>
/// <param name="ServiceMessage">STS's own message, where it answered with one.</param>
/// <param name="StatusCode">The HTTP status, where there was an answer.</param>
/// <param name="Attempts">How many requests were sent.</param>
/// <param name="Endpoint">The endpoint called.</param>
/// <param name="Exception">The last exception.</param>
internal sealed record StsFailure(
    StsFailureKind Kind,
    string? ErrorCode,
    string? ServiceMessage,
    int? StatusCode,
    int Attempts,
    StsEndpoint Endpoint,
    Exception Exception)
{
    /// <summary>Gets what is wrong with a malformed answer ("the answer is larger than 64 KiB"), where known. Never quotes the answer.</summary>
    public string? Detail { get; init; }

    public bool HasCode(string code) => string.Equals(ErrorCode, code, StringComparison.Ordinal);

    /// <summary>A 200 answer that lacks credentials or their expiration: treated as a malformed answer.</summary>
    public static StsFailure IncompleteAnswer(StsEndpoint endpoint, int attempts) =>
        MalformedAnswer(endpoint, attempts, "it lacks credentials or their expiration");

    /// <summary>A 200 answer whose content is wrong (<paramref name="problem"/> says what, never quoting a value; null: it lacks credentials).</summary>
    public static StsFailure MalformedAnswer(StsEndpoint endpoint, int attempts, string? problem) =>
        problem is null ? IncompleteAnswer(endpoint, attempts) : new(StsFailureKind.MalformedResponse, null, null, 200, attempts, endpoint, new InvalidDataException("The STS answer is malformed: " + problem + "."))
        {
            Detail = problem,
        };

    /// <summary>Gets whether STS rejected the web identity token or the signing credentials as expired.</summary>
    public bool IsExpiredToken => HasCode("ExpiredTokenException") || HasCode("ExpiredToken");
}
