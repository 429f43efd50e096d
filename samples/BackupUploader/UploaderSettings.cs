using System.IO.Compression;
using BackupUploader.Upload;

namespace BackupUploader;

/// <summary>The parsed command line.</summary>
internal sealed record UploaderSettings
{
    public const long DefaultSampleSize = 256L * 1024 * 1024;

    /// <summary>Gets the file or folder to back up ("-" for standard input); null in local mode uploads a generated sample.</summary>
    public string? Path { get; init; }

    /// <summary>Gets the bucket. When set, the uploader runs against real S3 with the default credential chain; otherwise local mode.</summary>
    public string? Bucket { get; init; }

    public string? Key { get; init; }

    public ServerSideEncryption Encryption { get; init; } = ServerSideEncryption.Aes256;

    public string? RoleArn { get; init; }

    public string? ExternalId { get; init; }

    public string? RoleSessionName { get; init; }

    public string? Region { get; init; }

    public Uri? EndpointUrl { get; init; }

    public long SampleSize { get; init; } = DefaultSampleSize;

    public int PartSize { get; init; } = 8 * 1024 * 1024;

    public int Parallel { get; init; } = 4;

    public VerificationMode Verify { get; init; } = VerificationMode.Checksum;

    public CompressionLevel Compression { get; init; } = CompressionLevel.Fastest;

    public bool IsLocal => Bucket is null;
}
