namespace WorkloadCredentials.Sts.Internal;

/// <summary>What kind of failure an STS call ended with.</summary>
internal enum StsFailureKind
{
    /// <summary>STS answered with an error code (AccessDenied, InvalidIdentityToken, ...).</summary>
    ServiceError,

    /// <summary>STS kept throttling (Throttling, RequestLimitExceeded) until the retries ran out.</summary>
    Throttled,

    /// <summary>STS kept answering 5xx (or IDPCommunicationError) until the retries ran out.</summary>
    ServerError,

    /// <summary>STS did not answer in time.</summary>
    Timeout,

    /// <summary>No connection could be made, or it broke.</summary>
    Connection,

    /// <summary>STS answered with something that is not a readable STS response.</summary>
    MalformedResponse,

    /// <summary>The endpoint answered with a redirect, which is never followed.</summary>
    Redirected,
}
