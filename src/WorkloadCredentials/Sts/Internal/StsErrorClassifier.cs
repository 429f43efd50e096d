using System.Net.Sockets;
using System.Xml;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Transform;
using Polly.Timeout;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>Sorts STS failures into transient (retried) and final, and into the kinds the sources report.</summary>
internal static class StsErrorClassifier
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "RequestLimitExceeded",
        "TooManyRequestsException", "SlowDown", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "EC2ThrottledException", "BandwidthLimitExceeded", "PriorRequestNotComplete", "RequestThrottled",
    };

    private static readonly HashSet<string> TransientServerCodes = new(StringComparer.Ordinal)
    {
        "IDPCommunicationError", "InternalFailure", "InternalError", "ServiceUnavailable", "RequestTimeout", "RequestTimeoutException",
    };

    /// <summary>
    /// The errors that no retry can fix: they reach the caller at once, and a cache reports them instead of serving older credentials.
    /// </summary>
    private static readonly HashSet<string> NonRecoverableCodes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException", "MalformedPolicyDocument", "MalformedPolicyDocumentException", "PackedPolicyTooLarge",
        "PackedPolicyTooLargeException", "RegionDisabledException", "IDPRejectedClaim", "IDPRejectedClaimException", "InvalidIdentityToken",
        "InvalidIdentityTokenException", "ValidationError", "InvalidParameterValue", "InvalidParameterCombination", "MissingParameter",
    };

    public static bool IsTransient(Exception exception) => Classify(exception) switch
    {
        StsFailureKind.Throttled or StsFailureKind.ServerError or StsFailureKind.Timeout or StsFailureKind.Connection => true,
        _ => false,
    };

    /// <summary>Gets whether <paramref name="code"/> is one of the throttling or transient server codes retried on.</summary>
    public static bool IsTransientCode(string code) => ThrottlingCodes.Contains(code) || TransientServerCodes.Contains(code);

    public static bool IsNonRecoverable(string? errorCode) => errorCode is not null && NonRecoverableCodes.Contains(errorCode);

    public static StsFailureKind Classify(Exception exception)
    {
        // Our own guards first, wherever the SDK put them in the chain: they are final answers, never a connection problem.
        if (Find<StsRedirectException>(exception) is not null)
        {
            return StsFailureKind.Redirected;
        }

        if (MalformedDetail(exception) is not null)
        {
            return StsFailureKind.MalformedResponse;
        }

        if (exception is TimeoutRejectedException || (exception is OperationCanceledException && exception.InnerException is TimeoutException))
        {
            return StsFailureKind.Timeout;
        }

        if (exception is AmazonServiceException service && service is not AmazonUnmarshallingException && !string.IsNullOrEmpty(service.ErrorCode))
        {
            if (ThrottlingCodes.Contains(service.ErrorCode) || (int)service.StatusCode == 429)
            {
                return StsFailureKind.Throttled;
            }

            if (TransientServerCodes.Contains(service.ErrorCode) || (int)service.StatusCode >= 500)
            {
                return StsFailureKind.ServerError;
            }

            return StsFailureKind.ServiceError;
        }

        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException or SocketException or IOException:
                    return StsFailureKind.Connection;
                case AmazonUnmarshallingException:
                    return StsFailureKind.MalformedResponse;
                case TimeoutException:
                    return StsFailureKind.Timeout;
            }
        }

        if (exception is AmazonServiceException { StatusCode: var status } && (int)status >= 500)
        {
            return StsFailureKind.ServerError;
        }

        return exception is AmazonServiceException ? StsFailureKind.MalformedResponse : StsFailureKind.Connection;
    }

    /// <summary>
    /// Says what is wrong with an answer that is not an STS answer ("the answer is larger than 64 KiB"), from the exception chain, or
    /// returns <see langword="null"/> when the failure is not about the answer's content. Never quotes the answer.
    /// </summary>
    public static string? MalformedDetail(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            string? detail = e switch
            {
                StsResponseTooLargeException tooLarge => $"the answer is larger than {tooLarge.MaxBytes / 1024} KiB",
                HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded } =>
                    $"its response headers are larger than {StsHttpClientFactory.MaxResponseHeadersKiB} KiB",
                XmlException => "it is not well-formed XML",
                FormatException or OverflowException or InvalidCastException => $"a value in it cannot be read ({e.GetType().Name})",
                _ => null,
            };
            if (detail is not null)
            {
                return detail;
            }
        }

        return null;
    }

    /// <summary>Gets the HTTP status of the answer the call failed on, where there was one.</summary>
    public static int? StatusCode(Exception exception) => exception switch
    {
        AmazonServiceException { StatusCode: var status } when status != 0 => (int)status,
        _ => Find<StsResponseTooLargeException>(exception)?.StatusCode is int tooLarge and > 0 ? tooLarge
            : Find<StsRedirectException>(exception)?.StatusCode,
    };

    public static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
