namespace WorkloadCredentials.Profiles.Internal;

/// <summary>Runs a <c>credential_process</c> command line (a seam so the profile source can be tested without processes).</summary>
internal interface ICredentialProcessRunner
{
    /// <param name="commandLine">The <c>credential_process</c> setting.</param>
    /// <param name="timeout">How long the program may run.</param>
    /// <param name="environment">Variables set for the program on top of this process's environment (the loop marker), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the program.</param>
    /// <exception cref="CredentialProcessException">The process could not start, timed out, or wrote too much.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the process is killed).</exception>
    ValueTask<CredentialProcessResult> RunAsync(string commandLine, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken);
}
