using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using BackupUploader.Archiving;
using BackupUploader.Credentials;
using BackupUploader.Upload;

namespace BackupUploader;

/// <summary>Turns what went wrong during an upload into one paragraph: the cause, the fix, and what was left behind (nothing).</summary>
internal static class ErrorTranslator
{
    private const string NothingLeft = "Nothing was stored and no multipart upload was left open.";

    public static UploaderException Translate(Exception exception, UploadTarget target, CredentialDescription? identity, Uri? endpoint)
    {
        string who = identity is null ? "the credentials in use" : $"{identity.SourceName} credentials{(identity.RoleArn is null ? "" : " of role " + identity.RoleArn)}";
        switch (exception)
        {
            case UploaderException uploader:
                return uploader;
            case BackupInputException input:
                return new UploaderException(input.Message, ExitCodes.BadInput, input);
            case MultipartAbortFailedException abortFailed:
                return new UploaderException(
                    $"{Translate(abortFailed.InnerException!, target, identity, endpoint).Message.Replace(NothingLeft, "", StringComparison.Ordinal).TrimEnd()} {abortFailed.Message} {abortFailed.Cleanup}",
                    ExitCodes.Storage,
                    abortFailed);
            case AmazonServiceException service:
                return TranslateService(service, target, who, endpoint);
            case HttpRequestException or SocketException:
                return new UploaderException(
                    $"Could not reach S3 at {endpoint?.ToString() ?? "the regional endpoint"} ({exception.Message}). Check the network, a proxy, or --endpoint-url and --region. {NothingLeft}",
                    ExitCodes.Storage,
                    exception);
            default:
                return new UploaderException($"The upload of {target} failed: {exception.GetType().Name}: {exception.Message} {NothingLeft}", ExitCodes.Failed, exception);
        }
    }

    private static UploaderException TranslateService(AmazonServiceException ex, UploadTarget target, string who, Uri? endpoint)
    {
        string code = ex.ErrorCode ?? ex.StatusCode.ToString();
        if (ex.InnerException is HttpRequestException or SocketException)
        {
            return new UploaderException(
                $"Could not reach S3 at {endpoint?.ToString() ?? "the regional endpoint"} ({ex.InnerException.Message}). Check the network, a proxy, or --endpoint-url and --region. {NothingLeft}",
                ExitCodes.Storage,
                ex);
        }

        return code switch
        {
            "NoSuchBucket" => new UploaderException(
                $"The bucket '{target.BucketName}' does not exist (S3 answered NoSuchBucket). Create it first (aws s3 mb s3://{target.BucketName}) or fix --bucket and --region. {NothingLeft}",
                ExitCodes.Storage,
                ex),
            "AccessDenied" or "AllAccessDisabled" => new UploaderException(
                $"S3 denied {who} access to {target} ({code}: {ex.Message}). Allow s3:PutObject, s3:AbortMultipartUpload and s3:GetObject on arn:aws:s3:::{target.BucketName}/* in the role's policy" +
                $"{(target.Encryption.IsKms ? " and kms:GenerateDataKey and kms:Decrypt on the KMS key" : "")}, and check the bucket policy. {NothingLeft}",
                ExitCodes.Storage,
                ex),
            "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" or "TokenRefreshRequired" => new UploaderException(
                $"S3 rejected {who} ({code}: {ex.Message}). The keys are wrong, revoked or expired: fix the credential source (`workload-credentials describe` shows which one is used). {NothingLeft}",
                ExitCodes.Credentials,
                ex),
            _ when code.StartsWith("KMS.", StringComparison.Ordinal) || ex.Message.Contains("KMS", StringComparison.OrdinalIgnoreCase) => new UploaderException(
                $"S3 could not use the KMS key {target.Encryption.KmsKeyId ?? "(the aws/s3 key)"} ({code}: {ex.Message}). Check --kms-key-id, that the key is enabled and in the bucket's region, and that {who} may use it (kms:GenerateDataKey). {NothingLeft}",
                ExitCodes.Storage,
                ex),
            _ => new UploaderException(
                $"S3 answered {code} (HTTP {(int)ex.StatusCode}) for {target}: {ex.Message} {(ex.StatusCode >= HttpStatusCode.InternalServerError ? "The service failed: run again later." : "Check the bucket, the key and the options.")} {NothingLeft}",
                ExitCodes.Storage,
                ex),
        };
    }
}
