namespace WorkloadCredentials.Internal;

/// <summary>
/// A host endpoint's answer was larger than <see cref="HostHttp.MaxResponseBytes"/>. Not an <see cref="HttpRequestException"/>, so
/// the retry strategies do not take it for a transient failure; each source turns it into its "malformed answer" error.
/// </summary>
internal sealed class HostAnswerTooLargeException : Exception
{
    public HostAnswerTooLargeException()
        : base(HostHttp.TooLargeProblem)
    {
    }

    public HostAnswerTooLargeException(string message)
        : base(message)
    {
    }

    public HostAnswerTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
