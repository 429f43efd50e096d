namespace WorkloadCredentials.Profiles.Internal;

/// <summary>Runs a <c>credential_process</c> command line (a seam so the profile source can be tested without processes).</summary>
internal interface ICredentialProcessRunner
{
    /// <exception cref="CredentialProcessException">The process could not start, timed out, or wrote too much.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the process is killed).</exception>
    ValueTask<CredentialProcessResult> RunAsync(string commandLine, TimeSpan timeout, CancellationToken cancellationToken);
}
