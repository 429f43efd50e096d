using System.Buffers;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace BackupUploader.Upload;

/// <summary>
/// Uploads a stream of unknown length to S3 with bounded memory: a single PUT when it fits in one part, otherwise a multipart
/// upload whose parts go up in parallel. Every part carries its SHA-256 so S3 checks it on arrival and reports a composite
/// checksum for the object. Any failure or cancellation aborts the multipart upload: nothing billable is left behind.
/// </summary>
internal sealed class S3StreamUploader(IAmazonS3 s3, MultipartUploadOptions options, IUploadProgress? progress = null)
{
    public async Task<UploadResult> UploadAsync(Stream source, UploadTarget target, CancellationToken cancellationToken)
    {
        options.Validate();
        long started = Stopwatch.GetTimestamp();

        // At most MaxBuffers part buffers exist at any time: one filling from the source, the rest uploading.
        ArrayPool<byte> pool = ArrayPool<byte>.Create((int)Math.Min(options.GetPartSize(MultipartUploadOptions.MaximumPartCount), 1 << 30), options.MaxBuffers);
        using var buffers = new SemaphoreSlim(options.MaxBuffers, options.MaxBuffers);
        using var wholeObjectHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        await buffers.WaitAsync(cancellationToken);
        int partSize = (int)options.GetPartSize(1);
        byte[] first = pool.Rent(partSize);
        int firstLength;
        try
        {
            firstLength = await source.ReadAtLeastAsync(first.AsMemory(0, partSize), partSize, throwOnEndOfStream: false, cancellationToken);
        }
        catch
        {
            pool.Return(first);
            throw;
        }

        if (firstLength < partSize)
        {
            // The whole input fits in one part: one PUT, no multipart upload to clean up.
            try
            {
                return await PutSingleAsync(first, firstLength, target, started, cancellationToken);
            }
            finally
            {
                pool.Return(first);
            }
        }

        return await UploadMultipartAsync(source, target, pool, buffers, wholeObjectHash, first, firstLength, started, cancellationToken);
    }

    private async Task<UploadResult> PutSingleAsync(byte[] buffer, int length, UploadTarget target, long started, CancellationToken cancellationToken)
    {
        byte[] sha256 = SHA256.HashData(buffer.AsSpan(0, length));
        string checksum = Convert.ToBase64String(sha256);
        var request = new PutObjectRequest
        {
            BucketName = target.BucketName,
            Key = target.Key,
            InputStream = new MemoryStream(buffer, 0, length, writable: false),
            ContentType = "application/gzip",
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
            ChecksumSHA256 = checksum,
        };
        ApplyEncryption(target.Encryption, request);
        PutObjectResponse response = await s3.PutObjectAsync(request, cancellationToken);
        progress?.PartUploaded(1, length);
        return new UploadResult(target, length, 1, IsMultipart: false, Convert.ToHexStringLower(sha256), checksum, response.ETag, Stopwatch.GetElapsedTime(started));
    }

    private async Task<UploadResult> UploadMultipartAsync(
        Stream source,
        UploadTarget target,
        ArrayPool<byte> pool,
        SemaphoreSlim buffers,
        IncrementalHash wholeObjectHash,
        byte[] first,
        int firstLength,
        long started,
        CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest
        {
            BucketName = target.BucketName,
            Key = target.Key,
            ContentType = "application/gzip",
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
            ChecksumType = ChecksumType.COMPOSITE,
        };
        if (target.Encryption.IsKms)
        {
            initiate.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
            initiate.ServerSideEncryptionKeyManagementServiceKeyId = target.Encryption.KmsKeyId;
        }
        else
        {
            initiate.ServerSideEncryptionMethod = target.Encryption.Method;
        }

        InitiateMultipartUploadResponse initiated;
        try
        {
            initiated = await s3.InitiateMultipartUploadAsync(initiate, cancellationToken);
        }
        catch
        {
            pool.Return(first);
            throw;
        }

        string uploadId = initiated.UploadId;
        progress?.UploadStarted(uploadId);

        using var partsFailed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inFlight = new List<Task<PartETag>>();
        var partDigests = new List<byte[]>();
        long total = 0;
        byte[]? buffer = first;
        int length = firstLength;
        try
        {
            for (int partNumber = 1; ; partNumber++)
            {
                int partSize = (int)options.GetPartSize(partNumber);
                wholeObjectHash.AppendData(buffer, 0, length);
                byte[] digest = SHA256.HashData(buffer.AsSpan(0, length));
                partDigests.Add(digest);
                total += length;
                inFlight.Add(UploadPartAsync(target, uploadId, partNumber, buffer, length, digest, pool, buffers, partsFailed));
                buffer = null;
                if (length < partSize)
                {
                    break; // the source ended inside this part: it was the last one
                }

                if (partNumber == MultipartUploadOptions.MaximumPartCount)
                {
                    throw new InvalidOperationException($"The input needs more than {MultipartUploadOptions.MaximumPartCount} parts. Raise --part-size.");
                }

                // Wait for a free buffer (bounded memory), then fill the next part.
                await buffers.WaitAsync(partsFailed.Token);
                int nextSize = (int)options.GetPartSize(partNumber + 1);
                buffer = pool.Rent(nextSize);
                length = await source.ReadAtLeastAsync(buffer.AsMemory(0, nextSize), nextSize, throwOnEndOfStream: false, partsFailed.Token);
                if (length == 0)
                {
                    pool.Return(buffer);
                    buffer = null;
                    buffers.Release();
                    break; // the source ended exactly on a part boundary
                }
            }

            PartETag[] parts = await Task.WhenAll(inFlight);
            var complete = new CompleteMultipartUploadRequest
            {
                BucketName = target.BucketName,
                Key = target.Key,
                UploadId = uploadId,
                PartETags = [.. parts],
            };
            CompleteMultipartUploadResponse completed = await s3.CompleteMultipartUploadAsync(complete, cancellationToken);

            string composite = Convert.ToBase64String(SHA256.HashData(partDigests.SelectMany(d => d).ToArray())) + "-" + parts.Length;
            return new UploadResult(
                target,
                total,
                parts.Length,
                IsMultipart: true,
                Convert.ToHexStringLower(wholeObjectHash.GetHashAndReset()),
                composite,
                completed.ETag,
                Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex)
        {
            if (buffer is not null)
            {
                pool.Return(buffer);
                buffers.Release();
            }

            await partsFailed.CancelAsync();
            Exception? partFailure = await DrainAsync(inFlight);
            await AbortAsync(target, uploadId, ex);

            // A part failed and cancelled the reader: report the part's error, not the cancellation it caused.
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested && partFailure is not null)
            {
                ExceptionDispatchInfo.Throw(partFailure);
            }

            throw;
        }
    }

    private async Task<PartETag> UploadPartAsync(
        UploadTarget target,
        string uploadId,
        int partNumber,
        byte[] buffer,
        int length,
        byte[] digest,
        ArrayPool<byte> pool,
        SemaphoreSlim buffers,
        CancellationTokenSource partsFailed)
    {
        await Task.Yield(); // run the request off the reader's thread
        try
        {
            string checksum = Convert.ToBase64String(digest);
            var request = new UploadPartRequest
            {
                BucketName = target.BucketName,
                Key = target.Key,
                UploadId = uploadId,
                PartNumber = partNumber,
                PartSize = length,
                InputStream = new MemoryStream(buffer, 0, length, writable: false),
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                ChecksumSHA256 = checksum,
            };
            UploadPartResponse response = await s3.UploadPartAsync(request, partsFailed.Token);
            progress?.PartUploaded(partNumber, length);
            return new PartETag { PartNumber = partNumber, ETag = response.ETag, ChecksumSHA256 = checksum };
        }
        catch
        {
            await partsFailed.CancelAsync(); // stop reading and stop the other parts
            throw;
        }
        finally
        {
            pool.Return(buffer);
            buffers.Release();
        }
    }

    private static async Task<Exception?> DrainAsync(List<Task<PartETag>> inFlight)
    {
        Exception? firstFailure = null;
        foreach (Task<PartETag> part in inFlight)
        {
            try
            {
                await part;
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex)
            {
                firstFailure ??= ex;
            }
        }

        return firstFailure;
    }

    private async Task AbortAsync(UploadTarget target, string uploadId, Exception cause)
    {
        // Never with the caller's token: a cancelled upload must still be aborted.
        using var timeout = new CancellationTokenSource(options.AbortTimeout);
        try
        {
            await s3.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = target.BucketName, Key = target.Key, UploadId = uploadId },
                timeout.Token);
        }
        catch (Exception abortError)
        {
            throw new MultipartAbortFailedException(target, uploadId, cause, abortError);
        }
    }

    private static void ApplyEncryption(ServerSideEncryption encryption, PutObjectRequest request)
    {
        request.ServerSideEncryptionMethod = encryption.Method;
        if (encryption.IsKms)
        {
            request.ServerSideEncryptionKeyManagementServiceKeyId = encryption.KmsKeyId;
        }
    }
}
