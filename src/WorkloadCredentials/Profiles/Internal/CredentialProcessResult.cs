namespace WorkloadCredentials.Profiles.Internal;

/// <summary>What a <c>credential_process</c> did. <see cref="StandardOutput"/> holds credentials: never log it.</summary>
internal sealed class CredentialProcessResult
{
    public CredentialProcessResult(int exitCode, string standardOutput, string standardError, string program, bool usedShell, TimeSpan elapsed)
    {
        ExitCode = exitCode;
        StandardOutput = standardOutput;
        StandardError = standardError;
        Program = program;
        UsedShell = usedShell;
        Elapsed = elapsed;
    }

    public int ExitCode { get; }

    public string StandardOutput { get; }

    public string StandardError { get; }

    /// <summary>Gets the program that ran: the first word of the command line, or the shell.</summary>
    public string Program { get; }

    public bool UsedShell { get; }

    public TimeSpan Elapsed { get; }
}
