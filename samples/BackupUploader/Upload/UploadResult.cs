namespace BackupUploader.Upload;

/// <summary>What was uploaded, and the checksums to verify it with.</summary>
/// <param name="Target">The object.</param>
/// <param name="Bytes">The object's size.</param>
/// <param name="PartCount">The number of parts (1 for a single PUT).</param>
/// <param name="IsMultipart">Whether a multipart upload was used.</param>
/// <param name="Sha256Hex">The SHA-256 of the whole object, computed while uploading.</param>
/// <param name="S3Checksum">The checksum S3 reports for the object: the SHA-256 (base64) of a single PUT, or the composite "base64-N" of a multipart upload.</param>
/// <param name="ETag">The ETag S3 returned.</param>
/// <param name="Elapsed">The time from the first byte read to the completed upload.</param>
internal sealed record UploadResult(
    UploadTarget Target,
    long Bytes,
    int PartCount,
    bool IsMultipart,
    string Sha256Hex,
    string S3Checksum,
    string? ETag,
    TimeSpan Elapsed);
