namespace WorkloadCredentials.Diagnostics;

/// <summary>What happened to one source of a chain during its last full resolution.</summary>
public enum CredentialSourceStatus
{
    /// <summary>The source was not reached: an earlier source resolved or failed.</summary>
    NotTried = 0,

    /// <summary>The source is not configured or cannot be reached (it threw <see cref="CredentialUnavailableException"/>); the chain moved on.</summary>
    Unavailable = 1,

    /// <summary>The source is configured but failed (it threw <see cref="AwsCredentialException"/>); the chain stopped with its error.</summary>
    Failed = 2,

    /// <summary>The source resolved credentials; the chain sticks to it from then on.</summary>
    Chosen = 3,
}
