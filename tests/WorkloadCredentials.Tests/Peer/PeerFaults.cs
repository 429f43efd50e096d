namespace WorkloadCredentials.Tests.Peer;

/// <summary>
/// The faults the fake injects for one environment. Each peer gets its own port and so its own counters: "the first N calls"
/// means the first N calls of that peer.
/// </summary>
internal sealed record PeerFaults
{
    public static PeerFaults None { get; } = new();

    /// <summary>The first this many STS calls fail with <see cref="StsStatus"/> and <see cref="StsCode"/> (int.MaxValue: every call).</summary>
    public int StsFailures { get; init; }

    public int StsStatus { get; init; } = 400;

    public string StsCode { get; init; } = "Throttling";

    /// <summary>The first this many IMDS GETs (listing or credentials) answer <see cref="ImdsStatus"/>.</summary>
    public int ImdsFailures { get; init; }

    public int ImdsStatus { get; init; } = 500;

    /// <summary>The status the IMDSv2 token PUT answers instead of a token (0: a token).</summary>
    public int ImdsTokenStatus { get; init; }

    /// <summary>How long IMDS waits before answering; see <see cref="ImdsDelayTokenOnly"/>.</summary>
    public TimeSpan ImdsDelay { get; init; }

    /// <summary>Whether only the token PUT (the first contact) is slow, rather than every IMDS request.</summary>
    public bool ImdsDelayTokenOnly { get; init; }

    /// <summary>The first this many container requests answer <see cref="ContainerStatus"/> (int.MaxValue: every request).</summary>
    public int ContainerFailures { get; init; }

    public int ContainerStatus { get; init; } = 500;
}
