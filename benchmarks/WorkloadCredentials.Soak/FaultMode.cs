namespace WorkloadCredentials.Soak;

/// <summary>What the fault proxy does to the credential endpoints (STS, IMDS) at a given moment.</summary>
internal enum FaultMode
{
    /// <summary>Requests reach the fake and are answered.</summary>
    Healthy,

    /// <summary>STS answers 400 Throttling (IMDS: 429).</summary>
    Throttling,

    /// <summary>500 InternalFailure.</summary>
    ServerError,

    /// <summary>The request is accepted and never answered.</summary>
    Hanging,

    /// <summary>Nothing listens: connections are refused, and open ones are reset.</summary>
    Refused,

    /// <summary>Connections are accepted and reset at once (open ones too).</summary>
    Reset,
}
