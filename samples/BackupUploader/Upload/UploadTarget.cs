namespace BackupUploader.Upload;

/// <summary>Where the backup goes.</summary>
internal sealed record UploadTarget(string BucketName, string Key, ServerSideEncryption Encryption)
{
    public override string ToString() => $"s3://{BucketName}/{Key}";
}
