namespace WorkloadCredentials;

/// <summary>
/// A credential source is configured but failed. A chain stops at this error rather than fall through to a different identity.
/// </summary>
public class AwsCredentialException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="AwsCredentialException"/> class.</summary>
    public AwsCredentialException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AwsCredentialException"/> class.</summary>
    /// <param name="message">The message: the source, the reason and the fix.</param>
    public AwsCredentialException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AwsCredentialException"/> class.</summary>
    /// <param name="message">The message: the source, the reason and the fix.</param>
    /// <param name="innerException">The cause.</param>
    public AwsCredentialException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AwsCredentialException"/> class.</summary>
    /// <param name="message">The message: the source, the reason and the fix.</param>
    /// <param name="sourceName">The name of the source that failed.</param>
    /// <param name="isRecoverable">
    /// <see langword="false"/> when retrying cannot help (the identity provider refused: access denied, an invalid token):
    /// a cache then reports the error at once instead of serving older credentials.
    /// </param>
    /// <param name="innerException">The cause.</param>
    public AwsCredentialException(string message, string? sourceName, bool isRecoverable, Exception? innerException = null)
        : base(message, innerException)
    {
        SourceName = sourceName;
        IsRecoverable = isRecoverable;
    }

    /// <summary>Gets the name of the source that failed, where known.</summary>
    public string? SourceName { get; }

    /// <summary>
    /// Gets a value indicating whether a later attempt may succeed. A cache keeps serving its credentials through recoverable
    /// failures and reports non-recoverable ones at once.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IsRecoverable { get; } = true;
}
