namespace WorkloadCredentials.Chain.Internal;

/// <summary>What happened to one source during a chain resolution.</summary>
internal enum ChainSourceStatus
{
    /// <summary>The source was not reached: an earlier source resolved or failed.</summary>
    NotTried = 0,

    /// <summary>The source is not configured or cannot be reached; the chain moved on.</summary>
    Unavailable = 1,

    /// <summary>The source is configured but failed; the chain stopped with its error.</summary>
    Failed = 2,

    /// <summary>The source resolved credentials; the chain sticks to it from then on.</summary>
    Chosen = 3,
}
