namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// A <c>credential_process</c> could not be run or its output is unusable. The message is safe to show: it never quotes
/// the output (which may hold a secret) nor the command's arguments. The profile source wraps it with the profile and file.
/// </summary>
internal sealed class CredentialProcessException : Exception
{
    public CredentialProcessException(string message, bool isRecoverable, Exception? innerException = null)
        : base(message, innerException)
    {
        IsRecoverable = isRecoverable;
    }

    /// <summary>Gets whether running it again may succeed (a timeout, a failing exit) rather than not (malformed output).</summary>
    public bool IsRecoverable { get; }
}
