namespace WorkloadCredentials.Tool.Internal;

/// <summary>Why the chain gave no credentials.</summary>
internal enum ResolutionErrorKind
{
    /// <summary>Credentials resolved.</summary>
    None = 0,

    /// <summary>No source is configured; every one was skipped (exit code 1).</summary>
    NoCredentials = 1,

    /// <summary>A configured source failed and stopped the chain (exit code 2).</summary>
    SourceFailed = 2,
}
