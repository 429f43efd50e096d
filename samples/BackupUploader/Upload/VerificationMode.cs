namespace BackupUploader.Upload;

/// <summary>How the uploader checks what S3 stored.</summary>
internal enum VerificationMode
{
    /// <summary>HeadObject: size, the SHA-256 checksum S3 computed (composite for multipart) and the encryption.</summary>
    Checksum,

    /// <summary>Checksum, then download the object again and compare its SHA-256 with the one computed while uploading.</summary>
    Download,

    /// <summary>No verification.</summary>
    None,
}
