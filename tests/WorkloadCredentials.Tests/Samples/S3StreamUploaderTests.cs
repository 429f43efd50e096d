using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using BackupUploader.Upload;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Samples;

/// <summary>The uploader's core, in-process against moto: part sizes, checksums S3 agrees with, bounded parallelism, abort on every failure.</summary>
public sealed class S3StreamUploaderTests : IAsyncLifetime
{
    private const string Bucket = "core";
    private const int PartSize = MultipartUploadOptions.MinimumPartSize;
    private MotoServer _moto = null!;
    private ObservingS3Client _s3 = null!;

    public async ValueTask InitializeAsync()
    {
        _moto = await MotoServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        _s3 = new ObservingS3Client(_moto.Endpoint);
        await _s3.PutBucketAsync(Bucket, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _s3.Dispose();
        await _moto.DisposeAsync();
    }

    [Fact]
    public async Task UploadAsync_InputSmallerThanAPart_UsesOnePutWithItsSha256()
    {
        byte[] data = RandomBytes(100_000);

        UploadResult result = await CreateSut().UploadAsync(new MemoryStream(data), Target("small.bin"), TestContext.Current.CancellationToken);

        Assert.False(result.IsMultipart);
        Assert.Equal(1, result.PartCount);
        Assert.Equal(data.Length, result.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), result.Sha256Hex);
        Assert.Equal(data, await DownloadAsync("small.bin"));
        Assert.Equal(0, _s3.PartsUploaded);
    }

    [Fact]
    public async Task UploadAsync_ExactMultipleOfThePartSize_SendsNoEmptyPart_AndS3AgreesOnTheCompositeChecksum()
    {
        byte[] data = RandomBytes(2 * PartSize);

        UploadResult result = await CreateSut().UploadAsync(new MemoryStream(data), Target("exact.bin"), TestContext.Current.CancellationToken);

        Assert.True(result.IsMultipart);
        Assert.Equal(2, result.PartCount);
        Assert.Equal(2, _s3.PartsUploaded);
        VerificationResult verification = await new UploadVerifier(_s3).VerifyAsync(result, VerificationMode.Download, TestContext.Current.CancellationToken);
        Assert.True(verification.Succeeded, string.Join("; ", verification.Problems));
        Assert.Contains($"composite SHA-256 of the parts {result.S3Checksum}", verification.Checks);
        Assert.Equal(data, await DownloadAsync("exact.bin"));
    }

    [Fact]
    public async Task UploadAsync_ManyParts_NeverHasMoreRequestsInFlightThanBuffers()
    {
        byte[] data = RandomBytes((9 * PartSize) + 123);
        _s3.PartDelay = TimeSpan.FromMilliseconds(100); // make overlap visible

        UploadResult result = await CreateSut(maxBuffers: 3).UploadAsync(new MemoryStream(data), Target("many.bin"), TestContext.Current.CancellationToken);

        Assert.Equal(10, result.PartCount);
        Assert.InRange(_s3.MaxPartsInFlight, 2, 3); // parallel, but bounded by the 3 buffers
        Assert.Equal(data, await DownloadAsync("many.bin"));
    }

    [Fact]
    public async Task UploadAsync_SourceFailsMidway_AbortsTheMultipartUpload_AndRethrowsTheSourceError()
    {
        var source = new FailingStream(new MemoryStream(RandomBytes(4 * PartSize)), failAfter: (2 * PartSize) + 10);

        var error = await Assert.ThrowsAsync<IOException>(() => CreateSut().UploadAsync(source, Target("failing-source.bin"), TestContext.Current.CancellationToken));

        Assert.Equal("disk went away", error.Message);
        Assert.Equal(1, _s3.Aborts);
        await AssertNothingStoredAsync("failing-source.bin");
    }

    [Fact]
    public async Task UploadAsync_PartRejected_AbortsAndReportsThePartsError_NotTheCancellationItCaused()
    {
        _s3.FailPart = 3;

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => CreateSut().UploadAsync(new MemoryStream(RandomBytes(6 * PartSize)), Target("rejected.bin"), TestContext.Current.CancellationToken));

        Assert.Equal("InternalError", error.ErrorCode);
        Assert.Equal(1, _s3.Aborts);
        await AssertNothingStoredAsync("rejected.bin");
    }

    [Fact]
    public async Task UploadAsync_CancelledDuringUpload_AbortsTheMultipartUpload()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var progress = new CancelAfterParts(cancel, parts: 2);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new S3StreamUploader(_s3, Options(), progress).UploadAsync(new MemoryStream(RandomBytes(8 * PartSize)), Target("cancelled.bin"), cancel.Token));

        Assert.Equal(1, _s3.Aborts);
        await AssertNothingStoredAsync("cancelled.bin");
    }

    [Fact]
    public async Task UploadAsync_CancelledBeforeStart_SendsNothing()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CreateSut().UploadAsync(new MemoryStream(RandomBytes(3 * PartSize)), Target("never.bin"), cancel.Token));

        Assert.Equal(0, _s3.Initiated);
        await AssertNothingStoredAsync("never.bin");
    }

    [Fact]
    public async Task VerifyAsync_ObjectReplacedAfterUpload_ReportsTheMismatch()
    {
        UploadResult result = await CreateSut().UploadAsync(new MemoryStream(RandomBytes((2 * PartSize) + 1)), Target("replaced.bin"), TestContext.Current.CancellationToken);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "replaced.bin", ContentBody = "something else" }, TestContext.Current.CancellationToken);

        VerificationResult verification = await new UploadVerifier(_s3).VerifyAsync(result, VerificationMode.Checksum, TestContext.Current.CancellationToken);

        Assert.False(verification.Succeeded);
        Assert.Contains($"S3 stored 14 bytes, {result.Bytes:N0} were sent", verification.Problems);
    }

    [Fact]
    public async Task VerifyAsync_KmsKeyGivenAsAlias_AcceptsTheKeyS3Reports_ButAnotherKeyIsAMismatch()
    {
        var aliasTarget = new UploadTarget(Bucket, "kms-alias.bin", ServerSideEncryption.Kms("alias/backups"));
        UploadResult viaAlias = await CreateSut().UploadAsync(new MemoryStream(RandomBytes(1000)), aliasTarget, TestContext.Current.CancellationToken);
        var keyTarget = new UploadTarget(Bucket, "kms-key.bin", ServerSideEncryption.Kms("1234abcd-12ab-34cd-56ef-1234567890ab"));
        UploadResult viaKey = await CreateSut().UploadAsync(new MemoryStream(RandomBytes(1000)), keyTarget, TestContext.Current.CancellationToken);

        VerificationResult alias = await new UploadVerifier(_s3).VerifyAsync(viaAlias, VerificationMode.Checksum, TestContext.Current.CancellationToken);
        VerificationResult otherKey = await new UploadVerifier(_s3).VerifyAsync(
            viaKey with { Target = keyTarget with { Encryption = ServerSideEncryption.Kms("ffffffff-12ab-34cd-56ef-1234567890ab") } },
            VerificationMode.Checksum,
            TestContext.Current.CancellationToken);

        Assert.True(alias.Succeeded, string.Join("; ", alias.Problems));
        Assert.Contains(alias.Checks, c => c.Contains("given as alias/backups", StringComparison.Ordinal));
        Assert.Equal(["S3 reports KMS key '1234abcd-12ab-34cd-56ef-1234567890ab', expected 'ffffffff-12ab-34cd-56ef-1234567890ab'"], otherKey.Problems);
    }

    [Fact]
    public void GetPartSize_GrowsEveryThousandParts_SoTenThousandPartsHoldFiveTebibytes()
    {
        var options = new MultipartUploadOptions { PartSize = 8 << 20 };

        Assert.Equal(8L << 20, options.GetPartSize(1));
        Assert.Equal(8L << 20, options.GetPartSize(1000));
        Assert.Equal(16L << 20, options.GetPartSize(1001));
        long capacity = Enumerable.Range(1, MultipartUploadOptions.MaximumPartCount).Sum(n => options.GetPartSize(n));
        Assert.True(capacity >= 5L << 40, $"capacity {capacity}"); // S3's classic object size limit
        Assert.True(options.GetPartSize(MultipartUploadOptions.MaximumPartCount) <= 5L << 30, "S3 parts are at most 5 GiB");
    }

    private S3StreamUploader CreateSut(int maxBuffers = 4) => new(_s3, Options(maxBuffers));

    private static MultipartUploadOptions Options(int maxBuffers = 4) => new() { PartSize = PartSize, MaxBuffers = maxBuffers, AbortTimeout = TimeSpan.FromSeconds(10) };

    private static UploadTarget Target(string key) => new(Bucket, key, ServerSideEncryption.Aes256);

    private static byte[] RandomBytes(int length)
    {
        byte[] bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private async Task<byte[]> DownloadAsync(string key)
    {
        using GetObjectResponse response = await _s3.GetObjectAsync(Bucket, key, TestContext.Current.CancellationToken);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy, TestContext.Current.CancellationToken);
        return copy.ToArray();
    }

    private async Task AssertNothingStoredAsync(string key)
    {
        ListMultipartUploadsResponse uploads = await _s3.ListMultipartUploadsAsync(Bucket, TestContext.Current.CancellationToken);
        Assert.Empty(uploads.MultipartUploads ?? []);
        ListObjectsV2Response objects = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = key }, TestContext.Current.CancellationToken);
        Assert.Empty(objects.S3Objects ?? []);
    }

    /// <summary>A real S3 client (moto) that counts, delays or fails requests.</summary>
    private sealed class ObservingS3Client(Uri endpoint) : AmazonS3Client(
        new BasicAWSCredentials("test", "test"),
        new AmazonS3Config { ServiceURL = endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" })
    {
        private int _inFlight;
        private int _maxInFlight;
        private int _parts;
        private int _aborts;
        private int _initiated;

        public int? FailPart { get; set; }

        public TimeSpan PartDelay { get; set; }

        public int MaxPartsInFlight => Volatile.Read(ref _maxInFlight);

        public int PartsUploaded => Volatile.Read(ref _parts);

        public int Aborts => Volatile.Read(ref _aborts);

        public int Initiated => Volatile.Read(ref _initiated);

        public override Task<InitiateMultipartUploadResponse> InitiateMultipartUploadAsync(InitiateMultipartUploadRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _initiated);
            return base.InitiateMultipartUploadAsync(request, cancellationToken);
        }

        public override async Task<UploadPartResponse> UploadPartAsync(UploadPartRequest request, CancellationToken cancellationToken = default)
        {
            int now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _maxInFlight, now);
            try
            {
                if (request.PartNumber == FailPart)
                {
                    throw new AmazonS3Exception("We encountered an internal error. Please try again.", ErrorType.Receiver, "InternalError", "req-1", System.Net.HttpStatusCode.InternalServerError);
                }

                await Task.Delay(PartDelay, cancellationToken);
                UploadPartResponse response = await base.UploadPartAsync(request, cancellationToken);
                Interlocked.Increment(ref _parts);
                return response;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public override Task<AbortMultipartUploadResponse> AbortMultipartUploadAsync(AbortMultipartUploadRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _aborts);
            return base.AbortMultipartUploadAsync(request, cancellationToken);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }

    private sealed class FailingStream(Stream inner, long failAfter) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_read >= failAfter)
            {
                throw new IOException("disk went away");
            }

            int n = inner.Read(buffer, offset, (int)Math.Min(count, failAfter - _read));
            _read += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class CancelAfterParts(CancellationTokenSource cancel, int parts) : IUploadProgress
    {
        private int _parts;

        public void UploadStarted(string uploadId)
        {
        }

        public void PartUploaded(int partNumber, long bytes)
        {
            if (Interlocked.Increment(ref _parts) == parts)
            {
                cancel.Cancel();
            }
        }
    }
}
