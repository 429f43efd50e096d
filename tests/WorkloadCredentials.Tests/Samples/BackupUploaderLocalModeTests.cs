using System.Globalization;
using System.Text.RegularExpressions;

namespace WorkloadCredentials.Tests.Samples;

/// <summary>The uploader's local mode end to end, as a user runs it: its own moto_server, web identity, a role with an External ID, upload, verify.</summary>
public sealed partial class BackupUploaderLocalModeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_NoBucket_UploadsThroughWebIdentityAndExternalIdRole_VerifiesAndStopsTheEmulator()
    {
        await using SampleProcess uploader = SampleProcess.Start("BackupUploader", ["--size", "24MiB"], new Dictionary<string, string?>());

        int exitCode = await uploader.WaitForExitAsync(Timeout, TestContext.Current.CancellationToken);

        string output = uploader.StandardOutput;
        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{uploader.StandardError}");
        Assert.Contains("Backup uploaded and verified.", output, StringComparison.Ordinal);
        Assert.Matches(@"Uploaded\s+[\d,]+ bytes \(.*\), \d+ parts of 8\.0 MiB, up to 4 part buffers in memory", output);
        Assert.Matches(@"Verified\s+size [\d,]+ bytes; composite SHA-256 of the parts \S+-\d+; encryption AES256", output);
        Assert.Matches(@"Throughput\s+[\d.]+ MiB/s", output);
        Assert.Matches(@"Credentials\s+source AssumeRole, access key \w{8}\*\*\*", output);
        Assert.Matches(@"Role\s+arn:aws:iam::123456789012:role/backup-writer", output);
        Assert.Matches(@"Expires\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \(in \d+ min", output);

        // Plain lines when the output is redirected, and nothing secret: no JWT, no secret key, no session token.
        Assert.DoesNotContain('\r', output);
        Assert.DoesNotContain("eyJ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("SecretAccessKey", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FwoGZXIvYXdz", output, StringComparison.Ordinal); // moto's session token prefix

        // No process left behind.
        int motoPid = int.Parse(StartedPid().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Contains($"Stopped moto_server (pid {motoPid}).", output, StringComparison.Ordinal);
        Assert.False(SampleProcess.IsRunning(motoPid, "moto_server"), $"moto_server (pid {motoPid}) is still running");
    }

    [Fact]
    public async Task Run_NoBucketWithKms_EncryptsWithTheEmulatorsKmsKey_AndVerifiesByDownload()
    {
        await using SampleProcess uploader = SampleProcess.Start(
            "BackupUploader",
            ["--size", "3MiB", "--sse", "aws:kms", "--verify", "download"],
            new Dictionary<string, string?>());

        int exitCode = await uploader.WaitForExitAsync(Timeout, TestContext.Current.CancellationToken);

        string output = uploader.StandardOutput;
        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{uploader.StandardError}");
        Assert.Matches(@"Uploaded\s+[\d,]+ bytes \(.*\), single PUT", output);
        Assert.Matches(@"Encryption\s+aws:kms \(key arn:aws:kms:us-east-1:123456789012:key/[0-9a-f-]+\)", output);
        Assert.Matches(@"Verified\s+size [\d,]+ bytes; SHA-256 \S+; encryption aws:kms; KMS key arn:aws:kms:\S+; downloaded SHA-256 [0-9a-f]{64}", output);
        int motoPid = int.Parse(StartedPid().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.False(SampleProcess.IsRunning(motoPid, "moto_server"));
    }

    [Fact]
    public async Task Run_NoBucketAndNoMotoOnPath_SaysHowToInstallIt_Exits6()
    {
        // The child's PATH holds only the test's own folder: no moto_server there (dotnet itself is started by full path or the test's PATH).
        await using SampleProcess uploader = SampleProcess.Start("BackupUploader", ["--size", "1MiB"], new Dictionary<string, string?> { ["PATH"] = AppContext.BaseDirectory });

        int exitCode = await uploader.WaitForExitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(6, exitCode);
        Assert.Equal(
            "Local mode runs the AWS emulator moto, and moto_server was not found on PATH. Install it with: pip install \"moto[server]\" (moto 5, needs Python 3), then run again; or pass --bucket to upload to real S3 with your own credentials.",
            uploader.StandardError.Trim());
    }

    [GeneratedRegex(@"Started moto_server \(pid (\d+)\)")]
    private static partial Regex StartedPid();
}
