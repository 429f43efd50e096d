namespace WorkloadCredentials;

/// <summary>
/// A credential source is not configured or cannot be reached. A chain moves on to its next source.
/// </summary>
public class CredentialUnavailableException : AwsCredentialException
{
    /// <summary>Initializes a new instance of the <see cref="CredentialUnavailableException"/> class.</summary>
    public CredentialUnavailableException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CredentialUnavailableException"/> class.</summary>
    /// <param name="message">The message: the source, why it is unavailable, and how to configure it.</param>
    public CredentialUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CredentialUnavailableException"/> class.</summary>
    /// <param name="message">The message: the source, why it is unavailable, and how to configure it.</param>
    /// <param name="innerException">The cause.</param>
    public CredentialUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CredentialUnavailableException"/> class.</summary>
    /// <param name="message">The message: the source, why it is unavailable, and how to configure it.</param>
    /// <param name="sourceName">The name of the source.</param>
    /// <param name="innerException">The cause.</param>
    public CredentialUnavailableException(string message, string? sourceName, Exception? innerException = null)
        : base(message, sourceName, isRecoverable: true, innerException)
    {
    }
}
