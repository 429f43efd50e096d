using Amazon.Runtime;

namespace WorkloadCredentials.AwsSdk.Internal;

/// <summary>
/// Carries a service's rejection of credentials of ours (now invalidated) through the SDK's retry handler, marked retryable so that it
/// retries and signs again; <see cref="RejectedCredentialsPipeline.Unwrap"/> hands the original to the caller when no retry happens.
/// Never leaves the pipeline.
/// </summary>
internal sealed class CredentialsRejectedException : AmazonServiceException
{
    private static readonly RetryableDetails NotThrottling = new(false);

    public CredentialsRejectedException(AmazonServiceException rejection)
        : base(rejection.Message, rejection, rejection.ErrorType, rejection.ErrorCode, rejection.RequestId, rejection.StatusCode)
    {
        Rejection = rejection;
    }

    public CredentialsRejectedException()
    {
        Rejection = this;
    }

    public CredentialsRejectedException(string message)
        : base(message)
    {
        Rejection = this;
    }

    public CredentialsRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Rejection = this;
    }

    public AmazonServiceException Rejection { get; }

    public override RetryableDetails Retryable => NotThrottling;
}
