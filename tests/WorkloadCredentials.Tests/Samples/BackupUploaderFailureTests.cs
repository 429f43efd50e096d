using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Samples;

/// <summary>
/// The uploader's failure paths in real mode (--bucket) against a moto_server the test owns: each asserts the one-paragraph
/// message, the exit code, and that no multipart upload is left open.
/// </summary>
public sealed class BackupUploaderFailureTests : IAsyncLifetime
{
    private const string Bucket = "backups";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private MotoServer _moto = null!;
    private AmazonS3Client _s3 = null!;
    private DirectoryInfo _work = null!;

    public async ValueTask InitializeAsync()
    {
        _moto = await MotoServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        _s3 = new AmazonS3Client(new BasicAWSCredentials("test", "test"), new AmazonS3Config { ServiceURL = _moto.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await _s3.PutBucketAsync(Bucket, TestContext.Current.CancellationToken);
        _work = Directory.CreateTempSubdirectory("uploader-tests-");
    }

    public async ValueTask DisposeAsync()
    {
        _s3.Dispose();
        await _moto.DisposeAsync();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task Run_MissingPath_NamesThePathAndExits2()
    {
        string missing = Path.Combine(_work.FullName, "no-such-folder");

        (int exitCode, string error) = await RunAsync([missing, "--bucket", Bucket]);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            $"The path '{missing}' does not exist (resolved to '{missing}'). Pass an existing file or folder to back up, or run without a path to upload a generated sample to the local emulator.",
            error.Trim());
        await AssertNoOpenUploadsAsync();
    }

    [Fact]
    public async Task Run_BucketMissing_NamesTheBucketAndTheFix_LeavesNothing()
    {
        string file = CreateFile("big.bin", 12 << 20); // multipart: the failure comes from CreateMultipartUpload

        (int exitCode, string error) = await RunAsync([file, "--bucket", "no-such-bucket", "--part-size", "5MiB"]);

        Assert.Equal(4, exitCode);
        Assert.Equal(
            "The bucket 'no-such-bucket' does not exist (S3 answered NoSuchBucket). Create it first (aws s3 mb s3://no-such-bucket) or fix --bucket and --region. Nothing was stored and no multipart upload was left open.",
            error.Trim());
        ListBucketsResponse buckets = await _s3.ListBucketsAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(buckets.Buckets ?? [], b => b.BucketName == "no-such-bucket");
        await AssertNoOpenUploadsAsync();
    }

    [Fact]
    public async Task Run_UnreadableFile_NamesTheFileBeforeUploading()
    {
        string folder = Path.Combine(_work.FullName, "data");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "readable.txt"), "ok");
        string secret = Path.Combine(folder, "locked.db");
        File.WriteAllText(secret, "locked");
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("File permissions are tested on Linux, as the rest of the uploader's process tests.");
        }

        File.SetUnixFileMode(secret, UnixFileMode.None);
        File.SetUnixFileMode(_work.FullName, (UnixFileMode)0b111_101_101); // 755: the other user may enter the test folder

        // root reads everything: run the uploader as nobody (65534) then, through setpriv.
        int? runAs = Environment.UserName == "root" ? 65534 : null;
        (int exitCode, string error) = await RunAsync([folder, "--bucket", Bucket], runAsUser: runAs);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            $"The file '{secret}' cannot be read: permission denied. Nothing was uploaded. Give the user running the uploader read access to it (for example chmod o+r, or run as its owner), or leave it out of the backup, then run again.",
            error.Trim());
        await AssertNoOpenUploadsAsync();
    }

    [Fact]
    public async Task Run_NoCredentialsAnywhere_SaysHowToProvideThem_Exits3()
    {
        string file = CreateFile("small.bin", 1024);

        (int exitCode, string error) = await RunAsync([file, "--bucket", Bucket], withKeys: false);

        Assert.Equal(3, exitCode);
        Assert.StartsWith("No AWS credentials could be resolved", error, StringComparison.Ordinal);
        Assert.Contains(
            "Run where a role is attached (EKS IRSA or Pod Identity, an ECS task role, an EC2 instance profile), or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            error,
            StringComparison.Ordinal);
        await AssertNoOpenUploadsAsync();
    }

    [Fact]
    public async Task Run_InterruptedMidUpload_AbortsTheMultipartUpload_Exits130()
    {
        // Standard input that stops after two parts and stays open: the upload is in flight when Ctrl+C arrives.
        await using SampleProcess uploader = SampleProcess.Start(
            "BackupUploader",
            ["-", "--bucket", Bucket, "--part-size", "5MiB", "--compression", "none", "--endpoint-url", _moto.Endpoint.ToString()],
            ChildEnvironment(withKeys: true));
        byte[] chunk = new byte[1 << 20];
        Random.Shared.NextBytes(chunk);
        for (int i = 0; i < 12; i++)
        {
            await uploader.StandardInput.WriteAsync(chunk, TestContext.Current.CancellationToken);
        }

        await uploader.StandardInput.FlushAsync(TestContext.Current.CancellationToken);
        await uploader.WaitForLineAsync(l => l.StartsWith("Multipart upload ", StringComparison.Ordinal), Timeout);
        await WaitForOpenUploadAsync();

        await uploader.InterruptAsync();
        int exitCode = await uploader.WaitForExitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(130, exitCode);
        Assert.Equal("Cancelled. Any multipart upload was aborted: nothing was stored.", uploader.StandardError.Trim());
        await AssertNoOpenUploadsAsync();
        ListObjectsV2Response objects = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket }, TestContext.Current.CancellationToken);
        Assert.Empty(objects.S3Objects ?? []);
    }

    [Fact]
    public async Task Run_EndpointUnreachable_NamesTheEndpoint_Exits4()
    {
        string file = CreateFile("small.bin", 1024);
        string closed = $"http://127.0.0.1:{MotoServer.GetFreePort()}/";

        (int exitCode, string error) = await RunAsync([file, "--bucket", Bucket, "--endpoint-url", closed], endpoint: closed);

        Assert.Equal(4, exitCode);
        Assert.StartsWith($"Could not reach S3 at {closed} (Connection refused", error, StringComparison.Ordinal);
        Assert.EndsWith("Check the network, a proxy, or --endpoint-url and --region. Nothing was stored and no multipart upload was left open.", error.Trim(), StringComparison.Ordinal);
        await AssertNoOpenUploadsAsync();
    }

    [Fact]
    public async Task Run_ValidFolder_UploadsAndVerifiesByDownload()
    {
        string folder = Path.Combine(_work.FullName, "site");
        Directory.CreateDirectory(Path.Combine(folder, "nested"));
        CreateFile("site/nested/a.bin", 7 << 20);
        File.WriteAllText(Path.Combine(folder, "b.txt"), "hello");

        await using SampleProcess uploader = SampleProcess.Start(
            "BackupUploader",
            [folder, "--bucket", Bucket, "--key", "sites/site.tar.gz", "--part-size", "5MiB", "--verify", "download", "--compression", "none", "--endpoint-url", _moto.Endpoint.ToString()],
            ChildEnvironment(withKeys: true));
        int exitCode = await uploader.WaitForExitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, uploader.StandardOutput + uploader.StandardError);
        Assert.Contains("Backup uploaded and verified.", uploader.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"Credentials\s+source Environment", uploader.StandardOutput);
        GetObjectMetadataResponse head = await _s3.GetObjectMetadataAsync(Bucket, "sites/site.tar.gz", TestContext.Current.CancellationToken);
        Assert.True(head.ContentLength > 7 << 20);
        Assert.Equal(ServerSideEncryptionMethod.AES256, head.ServerSideEncryptionMethod);
        await AssertNoOpenUploadsAsync();
    }

    private string CreateFile(string relativePath, int size)
    {
        string path = Path.Combine(_work.FullName, relativePath);
        byte[] bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private Dictionary<string, string?> ChildEnvironment(bool withKeys) => new()
    {
        // Everything that could reach AWS points at loopback, or is off.
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = withKeys ? "AKIDUPLOADERTEST" : null,
        ["AWS_SECRET_ACCESS_KEY"] = withKeys ? "uploader-test-secret" : null,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = _moto.Endpoint.ToString(),
        ["AWS_ENDPOINT_URL_STS"] = _moto.Endpoint.ToString(),
        ["AWS_CONFIG_FILE"] = Path.Combine(_work.FullName, "no-config"),
        ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_work.FullName, "no-credentials"),
    };

    private async Task<(int ExitCode, string Error)> RunAsync(string[] args, bool withKeys = true, int? runAsUser = null, string? endpoint = null)
    {
        await using SampleProcess uploader = SampleProcess.Start(
            "BackupUploader",
            [.. args, .. endpoint is null ? new[] { "--endpoint-url", _moto.Endpoint.ToString() } : []],
            ChildEnvironment(withKeys),
            runAsUser);
        int exitCode = await uploader.WaitForExitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.DoesNotContain("uploader-test-secret", uploader.StandardOutput + uploader.StandardError, StringComparison.Ordinal);
        return (exitCode, uploader.StandardError);
    }

    private async Task AssertNoOpenUploadsAsync()
    {
        ListMultipartUploadsResponse uploads = await _s3.ListMultipartUploadsAsync(Bucket, TestContext.Current.CancellationToken);
        Assert.Empty(uploads.MultipartUploads ?? []);
    }

    private async Task WaitForOpenUploadAsync()
    {
        for (int i = 0; i < 100; i++)
        {
            ListMultipartUploadsResponse uploads = await _s3.ListMultipartUploadsAsync(Bucket, TestContext.Current.CancellationToken);
            if (uploads.MultipartUploads is { Count: > 0 })
            {
                return;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Fail("The uploader never opened a multipart upload.");
    }
}
