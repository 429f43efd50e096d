namespace WorkloadCredentials.Tests.Infrastructure.SecretScanning;

/// <summary>A test, or the run, let a registered secret reach a log, an exception, an output or a telemetry tag.</summary>
public sealed class SecretLeakException : Exception
{
    public SecretLeakException()
    {
    }

    public SecretLeakException(string message)
        : base(message)
    {
    }

    public SecretLeakException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
