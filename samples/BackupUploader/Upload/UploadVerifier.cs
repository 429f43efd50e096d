using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace BackupUploader.Upload;

/// <summary>Checks the stored object against what was sent: size, S3's SHA-256 checksum, encryption, and optionally a full re-download.</summary>
internal sealed class UploadVerifier(IAmazonS3 s3)
{
    public async Task<VerificationResult> VerifyAsync(UploadResult upload, VerificationMode mode, CancellationToken cancellationToken)
    {
        var checks = new List<string>();
        var problems = new List<string>();
        if (mode == VerificationMode.None)
        {
            return new VerificationResult(mode, checks, problems);
        }

        GetObjectMetadataResponse head = await s3.GetObjectMetadataAsync(
            new GetObjectMetadataRequest { BucketName = upload.Target.BucketName, Key = upload.Target.Key, ChecksumMode = ChecksumMode.ENABLED },
            cancellationToken);

        Check(head.ContentLength == upload.Bytes, $"size {upload.Bytes:N0} bytes", $"S3 stored {head.ContentLength:N0} bytes, {upload.Bytes:N0} were sent");

        string? stored = head.ChecksumSHA256;
        string storedLabel = upload.IsMultipart ? "composite SHA-256 of the parts" : "SHA-256";
        if (string.IsNullOrEmpty(stored))
        {
            problems.Add("S3 returned no SHA-256 checksum for the object (the upload asked for one)");
        }
        else
        {
            // S3 (and moto) may report a composite checksum with or without its "-N" part-count suffix.
            bool matches = string.Equals(stored, upload.S3Checksum, StringComparison.Ordinal)
                || (upload.IsMultipart && string.Equals(stored + "-" + upload.PartCount, upload.S3Checksum, StringComparison.Ordinal));
            Check(matches, $"{storedLabel} {upload.S3Checksum}", $"S3's {storedLabel} is {stored}, expected {upload.S3Checksum}");
        }

        ServerSideEncryption expected = upload.Target.Encryption;
        ServerSideEncryptionMethod? actual = head.ServerSideEncryptionMethod;
        Check(
            actual is not null && actual.Value == expected.Method.Value,
            $"encryption {expected.Method.Value}",
            $"S3 reports encryption '{actual?.Value ?? "none"}', expected '{expected.Method.Value}'");
        if (expected.IsKms && expected.KmsKeyId is { } alias && alias.Contains("alias/", StringComparison.Ordinal))
        {
            checks.Add($"KMS key {head.ServerSideEncryptionKeyManagementServiceKeyId ?? "?"} (given as {alias}; S3 reports the key, not the alias)");
        }
        else if (expected.IsKms && expected.KmsKeyId is { } keyId)
        {
            string? actualKey = head.ServerSideEncryptionKeyManagementServiceKeyId;
            Check(
                actualKey is not null && (actualKey == keyId || actualKey.EndsWith("/" + keyId, StringComparison.Ordinal)),
                "KMS key " + keyId,
                $"S3 reports KMS key '{actualKey ?? "none"}', expected '{keyId}'");
        }

        if (mode == VerificationMode.Download)
        {
            using GetObjectResponse get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = upload.Target.BucketName, Key = upload.Target.Key }, cancellationToken);
            await using Stream body = get.ResponseStream;
            string sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(body, cancellationToken));
            Check(sha256 == upload.Sha256Hex, "downloaded SHA-256 " + sha256, $"the downloaded object's SHA-256 is {sha256}, expected {upload.Sha256Hex}");
        }

        return new VerificationResult(mode, checks, problems);

        void Check(bool ok, string passed, string failed)
        {
            if (ok)
            {
                checks.Add(passed);
            }
            else
            {
                problems.Add(failed);
            }
        }
    }
}
