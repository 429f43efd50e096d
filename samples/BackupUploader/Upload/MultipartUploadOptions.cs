namespace BackupUploader.Upload;

/// <summary>How the uploader cuts the stream into parts. Memory use is bounded by <see cref="MaxBuffers"/> x the part size.</summary>
internal sealed class MultipartUploadOptions
{
    /// <summary>S3's smallest part (except the last one).</summary>
    public const int MinimumPartSize = 5 * 1024 * 1024;

    /// <summary>S3's largest part number.</summary>
    public const int MaximumPartCount = 10_000;

    /// <summary>Gets or sets the size of the first 1,000 parts. The size doubles every 1,000 parts so a stream of unknown length never runs out of part numbers.</summary>
    public int PartSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>Gets or sets how many part buffers may exist at once: one being filled from the archive, the others uploading in parallel.</summary>
    public int MaxBuffers { get; set; } = 4;

    /// <summary>Gets or sets how long aborting a failed multipart upload may take.</summary>
    public TimeSpan AbortTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the size of part <paramref name="partNumber"/> (1-based).</summary>
    public long GetPartSize(int partNumber) => (long)PartSize << Math.Min((partNumber - 1) / 1000, 9);

    public void Validate()
    {
        if (PartSize < MinimumPartSize)
        {
            throw new ArgumentOutOfRangeException(nameof(PartSize), PartSize, $"The part size must be at least {MinimumPartSize / (1024 * 1024)} MiB (S3's minimum).");
        }

        if (PartSize > 512 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(PartSize), PartSize, "The part size must be at most 512 MiB.");
        }

        if (MaxBuffers is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBuffers), MaxBuffers, "Between 1 and 64 part buffers.");
        }
    }
}
