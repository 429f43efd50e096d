namespace WorkloadCredentials.Tool.Whoami;

/// <summary>The configured STS endpoint cannot be used by <c>whoami</c>.</summary>
internal sealed class StsTargetException : Exception
{
    public StsTargetException()
    {
    }

    public StsTargetException(string message)
        : base(message)
    {
    }

    public StsTargetException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
