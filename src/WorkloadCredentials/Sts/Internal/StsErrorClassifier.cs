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

    public static bool IsNonRecoverable(string? errorCode) => errorCode is not null && NonRecoverableCodes.Contains(errorCode);

    public static StsFailureKind Classify(Exception exception)
    {
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
                case XmlException or AmazonUnmarshallingException:
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
}
