namespace WorkloadCredentials.Diagnostics;

/// <summary>Whether a source gave credentials when it was described, and if not, why.</summary>
public enum CredentialResolutionStatus
{
    /// <summary>Credentials resolved.</summary>
    Resolved = 0,

    /// <summary>
    /// No source is configured or reachable: the source threw <see cref="CredentialUnavailableException"/> (a chain skipped every one of its
    /// sources).
    /// </summary>
    Unavailable = 1,

    /// <summary>A configured source failed and stopped the chain: the source threw <see cref="AwsCredentialException"/> or another error.</summary>
    Failed = 2,
}
