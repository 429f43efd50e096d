using Amazon.S3;
using BackupUploader.Archiving;
using BackupUploader.Credentials;
using BackupUploader.Reporting;
using BackupUploader.Upload;

namespace BackupUploader;

/// <summary>The job itself, the same in local and real mode: archive, upload, verify, summarize.</summary>
internal sealed class BackupJob(TextWriter output, bool interactive)
{
    public async Task<int> RunAsync(
        BackupSource source,
        UploadTarget target,
        UploaderCredentials credentials,
        IAmazonS3 s3,
        UploaderSettings settings,
        Uri? endpoint,
        CancellationToken cancellationToken)
    {
        var options = new MultipartUploadOptions { PartSize = settings.PartSize, MaxBuffers = settings.Parallel };
        CredentialDescription identity = await credentials.DescribeAsync(cancellationToken);
        output.WriteLine($"Credentials: {identity.SourceName}{(identity.RoleArn is null ? "" : ", role " + identity.RoleArn)}.");
        output.WriteLine($"Backing up {source.Description} to {target}, encryption {target.Encryption}.");

        UploadResult upload;
        VerificationResult verification;
        try
        {
            // 1. Archive and compress on a background task into a small pipe; 2. upload the pipe's output in parts.
            var progress = new ProgressReporter(output, interactive, source.ContentBytes);
            try
            {
                await using CompressedArchiveStream archive = CompressedArchiveStream.Start(source, settings.Compression, progress.AddContentBytes, cancellationToken);
                upload = await new S3StreamUploader(s3, options, progress).UploadAsync(archive.Reader, target, cancellationToken);
            }
            finally
            {
                await progress.DisposeAsync();
            }

            // 3. Verify what S3 stored against what was sent.
            verification = await new UploadVerifier(s3).VerifyAsync(upload, settings.Verify, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw ErrorTranslator.Translate(ex, target, identity, endpoint);
        }

        // 4. Summarize: source, role and expiry of the credentials, bytes, parts, throughput. No secret.
        CredentialDescription after = await credentials.DescribeAsync(cancellationToken);
        Summary.Write(output, source, upload, verification, after, options, TimeProvider.System.GetUtcNow());
        if (!verification.Succeeded)
        {
            throw new UploaderException(
                $"The object {target} was stored but does not match what was sent: {string.Join("; ", verification.Problems)}. Delete it and run the backup again; if it repeats, check for a proxy that rewrites uploads.",
                ExitCodes.VerificationFailed);
        }

        return ExitCodes.Success;
    }
}
