namespace WorkloadCredentials.Diagnostics;

/// <summary>
/// <c>sts:GetCallerIdentity</c> could not be called or did not answer with a caller identity, although credentials resolved: the STS
/// endpoint setting is unusable, STS refused the call, could not be reached, redirected, or answered with something else. The message
/// names the endpoint, the setting that chose it and the fix; it never holds a secret.
/// </summary>
public sealed class CallerIdentityException : AwsCredentialException
{
    /// <summary>Initializes a new instance of the <see cref="CallerIdentityException"/> class.</summary>
    public CallerIdentityException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CallerIdentityException"/> class.</summary>
    /// <param name="message">Why the call failed and how to fix it; never a secret.</param>
    public CallerIdentityException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CallerIdentityException"/> class.</summary>
    /// <param name="message">Why the call failed and how to fix it; never a secret.</param>
    /// <param name="innerException">The cause.</param>
    public CallerIdentityException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
