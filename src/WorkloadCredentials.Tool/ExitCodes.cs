namespace WorkloadCredentials.Tool;

/// <summary>The exit codes of <c>workload-credentials</c>. Stable: scripts test them. Documented in the tool's README.</summary>
internal static class ExitCodes
{
    /// <summary>Credentials resolved (and, for <c>whoami</c>, STS answered).</summary>
    public const int Resolved = 0;

    /// <summary>No source of the chain is configured: every one was skipped.</summary>
    public const int NoCredentials = 1;

    /// <summary>A source is configured but failed (the chain stopped with its error).</summary>
    public const int SourceFailed = 2;

    /// <summary><c>whoami</c>: credentials resolved, but sts:GetCallerIdentity failed or could not be reached.</summary>
    public const int StsCallFailed = 3;

    /// <summary>The command line or an option value is wrong (EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>An unexpected error inside the tool (EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Canceled = 130;

    /// <summary>The exit code of a resolution that ended with <paramref name="kind"/>.</summary>
    public static int For(Internal.ResolutionErrorKind kind) => kind switch
    {
        Internal.ResolutionErrorKind.None => Resolved,
        Internal.ResolutionErrorKind.NoCredentials => NoCredentials,
        _ => SourceFailed,
    };
}
