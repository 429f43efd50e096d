namespace WorkloadCredentials.Internal;

/// <summary>
/// The event id ranges of the library's logs, one per area, each 100 wide. Event ids are part of the contract with operators'
/// alerting: an id never moves. Each log class numbers its events from its base (<c>EventId = LogEventIds.Chain + 1</c>);
/// a test checks that every event lies in its class's range and that no two share an id.
/// </summary>
internal static class LogEventIds
{
    /// <summary>The refresh cache: 100-199.</summary>
    public const int Cache = 100;

    /// <summary>STS calls (web identity, assume role): 300-399.</summary>
    public const int Sts = 300;

    /// <summary>Shared config profiles and <c>credential_process</c>: 500-599.</summary>
    public const int Profiles = 500;

    /// <summary>The credential chain: 1100-1199.</summary>
    public const int Chain = 1100;

    /// <summary>EC2 instance metadata: 1600-1699.</summary>
    public const int InstanceMetadata = 1600;

    /// <summary>Container credentials: 1700-1799.</summary>
    public const int Container = 1700;

    /// <summary>Dependency injection (start-up warm-up, SDK client wiring): 1800-1899.</summary>
    public const int DependencyInjection = 1800;

    /// <summary>IAM Identity Center (SSO): the token cache, its refresh and the portal: 1900-1999.</summary>
    public const int Sso = 1900;

    /// <summary>The width of every range.</summary>
    public const int RangeSize = 100;
}
