using System.Globalization;
using BackupUploader.Archiving;
using BackupUploader.Credentials;
using BackupUploader.Upload;

namespace BackupUploader.Reporting;

/// <summary>The final summary: what was stored, how fast, how it was verified, and which identity did it. Never a secret.</summary>
internal static class Summary
{
    public static void Write(
        TextWriter output,
        BackupSource source,
        UploadResult upload,
        VerificationResult verification,
        CredentialDescription credentials,
        MultipartUploadOptions options,
        DateTimeOffset now)
    {
        output.WriteLine();
        output.WriteLine(verification.Succeeded ? "Backup uploaded and verified." : "Backup uploaded, but verification FAILED.");
        Row("Object", upload.Target.ToString());
        Row("Input", source.Description);
        Row("Uploaded", $"{upload.Bytes:N0} bytes ({Format.Bytes(upload.Bytes)}, gzip), " + (upload.IsMultipart
            ? $"{upload.PartCount} parts of {Format.Bytes(options.PartSize)}, up to {options.MaxBuffers} part buffers in memory"
            : "single PUT"));
        Row("Throughput", $"{Format.Rate(upload.Bytes, upload.Elapsed)} uploaded" +
            (source.ContentBytes > 0 ? $", {Format.Rate(source.ContentBytes, upload.Elapsed)} of input" : "") +
            $" ({Format.Duration(upload.Elapsed)})");
        Row("Encryption", upload.Target.Encryption.ToString());
        Row("SHA-256", upload.Sha256Hex);
        Row("Verified", verification.Mode == VerificationMode.None
            ? "skipped (--verify none)"
            : string.Join("; ", verification.Checks) + (verification.Succeeded ? "" : " | MISMATCH: " + string.Join("; ", verification.Problems)));
        Row("Credentials", $"source {credentials.SourceName}, access key {credentials.AccessKeyIdPrefix} (resolved by the {credentials.ResolvedBy})");
        Row("Role", credentials.RoleArn ?? "none (long-term keys or a source without a role)");
        Row("Expires", credentials.Expiration is { } expiration
            ? $"{expiration.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)} (in {Format.Duration(expiration - now)}, refreshed before)"
            : "never (long-term keys)");

        void Row(string name, string value) => output.WriteLine($"  {name,-12} {value}");
    }
}
