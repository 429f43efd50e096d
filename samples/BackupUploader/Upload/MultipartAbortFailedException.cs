namespace BackupUploader.Upload;

/// <summary>An upload failed and aborting its multipart upload failed too: the parts stay (and are billed) until removed.</summary>
internal sealed class MultipartAbortFailedException(UploadTarget target, string uploadId, Exception uploadError, Exception abortError)
    : Exception($"Aborting multipart upload {uploadId} of {target} failed ({abortError.Message}).", uploadError)
{
    public UploadTarget Target { get; } = target;

    public string UploadId { get; } = uploadId;

    public Exception AbortError { get; } = abortError;

    public string Cleanup =>
        $"Its parts are still stored: remove them with `aws s3api abort-multipart-upload --bucket {Target.BucketName} --key {Target.Key} --upload-id {UploadId}` " +
        "(a lifecycle rule with AbortIncompleteMultipartUpload does it for you).";
}
