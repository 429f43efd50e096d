namespace WorkloadCredentials.Tests.Simulation;

/// <summary>What goes wrong, and when, in a simulated week.</summary>
internal enum FaultKind
{
    /// <summary>STS answers 400 Throttling to a share of the requests.</summary>
    StsThrottling,

    /// <summary>STS answers 500/503 to a share of the requests.</summary>
    StsServerError,

    /// <summary>STS accepts the connection and never answers: each attempt hangs until the client's timeout.</summary>
    StsTimeout,

    /// <summary>STS and IMDS both refuse connections (a network outage), from seconds to hours.</summary>
    Outage,

    /// <summary>IMDS refuses connections.</summary>
    ImdsDown,

    /// <summary>IMDS accepts the connection and never answers.</summary>
    ImdsHang,

    /// <summary>STS and IMDS answer 200 with a malformed body.</summary>
    Malformed,

    /// <summary>The kubelet writes a new web identity token (the old one stays valid until it expires).</summary>
    TokenRotation,

    /// <summary>The host's wall clock is stepped (either way) and stepped back at the end.</summary>
    WallClockStep,

    /// <summary>The machine sleeps: both clocks jump, no timer runs until it wakes.</summary>
    Suspend,
}
