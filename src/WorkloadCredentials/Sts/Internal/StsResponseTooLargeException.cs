using System.Globalization;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>An STS answer is larger than the cap (announced by Content-Length, or read so far): it is not an STS answer.</summary>
internal sealed class StsResponseTooLargeException : Exception
{
    public StsResponseTooLargeException()
    {
    }

    public StsResponseTooLargeException(string message)
        : base(message)
    {
    }

    public StsResponseTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <param name="maxBytes">The cap, in bytes.</param>
    /// <param name="statusCode">The HTTP status of the answer.</param>
    public StsResponseTooLargeException(int maxBytes, int statusCode)
        : base(string.Create(CultureInfo.InvariantCulture, $"The answer (HTTP {statusCode}) is larger than {maxBytes / 1024} KiB."))
    {
        MaxBytes = maxBytes;
        StatusCode = statusCode;
    }

    /// <summary>Gets the HTTP status of the answer.</summary>
    public int StatusCode { get; }

    /// <summary>Gets the cap, in bytes.</summary>
    public int MaxBytes { get; }
}
