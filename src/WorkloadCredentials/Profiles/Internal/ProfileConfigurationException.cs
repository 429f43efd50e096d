namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// The profile source is configured but cannot be used: the chain stops here, it never falls through to another identity.
/// Callers see an <see cref="AwsCredentialException"/> with source name <c>Profile</c>; <see cref="Kind"/> is for tests and diagnostics.
/// </summary>
internal sealed class ProfileConfigurationException : AwsCredentialException
{
    public ProfileConfigurationException(ProfileErrorKind kind, string message, bool isRecoverable = false, Exception? innerException = null)
        : base(message, ProfileConstants.SourceName, isRecoverable, innerException)
    {
        Kind = kind;
    }

    public ProfileErrorKind Kind { get; }
}
