namespace BackupUploader.Upload;

/// <summary>Receives upload progress. Called from several threads.</summary>
internal interface IUploadProgress
{
    /// <summary>Called when a multipart upload was created.</summary>
    void UploadStarted(string uploadId);

    /// <summary>Called when a part (or the single PUT) reached S3.</summary>
    void PartUploaded(int partNumber, long bytes);
}
