using System.Globalization;
using Amazon.Runtime;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// What is kept of the exception an STS call failed with, as the inner exception of the error a caller sees: the type name, the error
/// code, the HTTP status and the message with every known secret (and every 12-character fragment of one) masked and control
/// characters escaped. The SDK's own exception is never attached: it may carry the raw answer, which can echo the request.
/// </summary>
internal sealed class StsCallFailureException : Exception
{
    /// <summary>How many inner exceptions are kept, cleaned the same way.</summary>
    private const int MaxDepth = 4;

    public StsCallFailureException()
    {
    }

    public StsCallFailureException(string message)
        : base(message)
    {
    }

    public StsCallFailureException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    private StsCallFailureException(string message, string exceptionType, string? errorCode, int? statusCode, Exception? innerException)
        : base(message, innerException)
    {
        ExceptionType = exceptionType;
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>Gets the name of the original exception's type.</summary>
    public string ExceptionType { get; } = string.Empty;

    /// <summary>Gets the STS error code, where there was one.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the HTTP status, where there was an answer.</summary>
    public int? StatusCode { get; }

    /// <summary>Builds the cleaned copy of <paramref name="exception"/> and of its inner exceptions.</summary>
    public static StsCallFailureException From(Exception exception, ReadOnlySpan<string?> secrets) => From(exception, secrets, 0);

    /// <summary>Masks known secrets and their fragments, then escapes control characters and cuts the text.</summary>
    public static string Clean(string? text, ReadOnlySpan<string?> secrets) => SecretMasker.MaskAndEscape(text, SafeText.DefaultMaxLength, secrets);

    private static StsCallFailureException From(Exception exception, ReadOnlySpan<string?> secrets, int depth)
    {
        Exception? inner = exception.InnerException is { } next && depth < MaxDepth ? From(next, secrets, depth + 1) : null;
        var service = exception as AmazonServiceException;
        string? code = string.IsNullOrEmpty(service?.ErrorCode) ? null : Clean(service.ErrorCode, secrets);
        int? status = service is null || service.StatusCode == 0 ? null : (int)service.StatusCode;
        string type = exception.GetType().Name;
        string message = string.Create(CultureInfo.InvariantCulture, $"{type}{(code is null ? string.Empty : " " + code)}{(status is null ? string.Empty : $" (HTTP {status})")}: {Clean(exception.Message, secrets)}");
        return new StsCallFailureException(message, type, code, status, inner);
    }
}
