using Amazon.S3;

namespace BackupUploader.Upload;

/// <summary>The server-side encryption S3 applies to the backup: <c>AES256</c> (S3-managed keys) or <c>aws:kms</c> with an optional key id.</summary>
internal sealed record ServerSideEncryption(ServerSideEncryptionMethod Method, string? KmsKeyId)
{
    public static ServerSideEncryption Aes256 { get; } = new(ServerSideEncryptionMethod.AES256, null);

    public static ServerSideEncryption Kms(string? keyId) => new(ServerSideEncryptionMethod.AWSKMS, string.IsNullOrWhiteSpace(keyId) ? null : keyId);

    public bool IsKms => Method == ServerSideEncryptionMethod.AWSKMS;

    public override string ToString() => IsKms ? $"aws:kms (key {KmsKeyId ?? "the account's aws/s3 key"})" : "AES256 (S3-managed keys)";
}
