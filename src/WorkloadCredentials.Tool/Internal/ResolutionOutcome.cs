namespace WorkloadCredentials.Tool.Internal;

/// <summary>What one resolution of the default chain gave <c>export</c> and <c>whoami</c>: credentials, or why there are none.</summary>
/// <param name="Credentials">The credentials, or <see langword="null"/> when none resolved.</param>
/// <param name="ErrorKind">Why none resolved.</param>
/// <param name="ErrorMessage">The library's message (it names the source, the reason and the fix; never a secret).</param>
internal sealed record ResolutionOutcome(AwsCredentials? Credentials, ResolutionErrorKind ErrorKind, string? ErrorMessage)
{
    public int ExitCode => ExitCodes.For(ErrorKind);
}
