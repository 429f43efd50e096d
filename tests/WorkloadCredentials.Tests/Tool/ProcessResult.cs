namespace WorkloadCredentials.Tests.Tool;

/// <summary>How a process ended: its exit code, stdout and stderr.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    /// <summary>Everything the process wrote, for assertions that a secret never appears anywhere.</summary>
    public string AllText => Output + "\n" + Error;

    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}
