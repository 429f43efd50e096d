using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Samples;

/// <summary>
/// The uploader against a moto_server that checks signatures and IAM policies: S3 access denied, a wrong External ID, and the
/// third-party role story (keys, then a role that requires an External ID) succeeding.
/// </summary>
public sealed class BackupUploaderAccessDeniedTests : IAsyncLifetime
{
    private const string Bucket = "partner-backups";
    private const string ExternalId = "partner-external-id-7";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private MotoServer _moto = null!;
    private AmazonS3Client _admin = null!;
    private DirectoryInfo _work = null!;
    private (string AccessKeyId, string SecretAccessKey, string Arn) _reader;
    private (string AccessKeyId, string SecretAccessKey, string Arn) _assumer;
    private string _roleArn = "";

    public async ValueTask InitializeAsync()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        _moto = await MotoServer.StartAsync(cancellationToken: cancellationToken);
        var iam = new MotoIam(_moto);
        var admin = await iam.CreateUserWithKeyAsync("admin", MotoIam.AllowAllPolicy);
        _reader = await iam.CreateUserWithKeyAsync("reader", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::{{Bucket}}","arn:aws:s3:::{{Bucket}}/*"]}]}""");
        _assumer = await iam.CreateUserWithKeyAsync("assumer", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""");
        _roleArn = await iam.CreateRoleAsync(
            "partner-writer",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":""" + "\"" + _assumer.Arn + "\"" +
            """},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":""" + "\"" + ExternalId + "\"" + "}}}]}",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::{{Bucket}}","arn:aws:s3:::{{Bucket}}/*"]}]}""");
        _admin = new AmazonS3Client(
            new BasicAWSCredentials(admin.AccessKeyId, admin.SecretAccessKey),
            new AmazonS3Config { ServiceURL = _moto.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await _admin.PutBucketAsync(Bucket, cancellationToken);

        // From now on moto verifies every signature and applies the IAM policies.
        using var http = new HttpClient();
        using var content = new StringContent("0");
        using HttpResponseMessage response = await http.PostAsync(new Uri(_moto.Endpoint, "/moto-api/reset-auth"), content, cancellationToken);
        response.EnsureSuccessStatusCode();

        _work = Directory.CreateTempSubdirectory("uploader-denied-");
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _moto.DisposeAsync();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task Run_PolicyWithoutPutObject_ReportsAccessDeniedWithTheFix_LeavesNoUpload()
    {
        string file = CreateFile(12 << 20);

        (int exitCode, string output, string error) = await RunAsync(_reader, [file, "--bucket", Bucket, "--part-size", "5MiB"]);

        Assert.Equal(4, exitCode);
        Assert.StartsWith($"S3 denied Environment credentials access to s3://{Bucket}/backups/", error, StringComparison.Ordinal);
        Assert.Contains("(AccessDenied: ", error, StringComparison.Ordinal);
        Assert.EndsWith(
            $"Allow s3:PutObject, s3:AbortMultipartUpload and s3:GetObject on arn:aws:s3:::{Bucket}/* in the role's policy, and check the bucket policy. Nothing was stored and no multipart upload was left open.",
            error.Trim(),
            StringComparison.Ordinal);
        Assert.DoesNotContain(_reader.SecretAccessKey, output + error, StringComparison.Ordinal);
        await AssertNoOpenUploadsAsync();
    }

    [Fact]
    public async Task Run_WrongExternalId_StsRefusesTheRole_Exits3BeforeAnyUpload()
    {
        string file = CreateFile(1024);

        (int exitCode, string output, string error) = await RunAsync(_assumer, [file, "--bucket", Bucket, "--role-arn", _roleArn, "--external-id", "not-the-external-id"]);

        Assert.Equal(3, exitCode);
        Assert.Contains("AccessDenied", error, StringComparison.Ordinal);
        Assert.Contains(_roleArn, error, StringComparison.Ordinal);
        Assert.Contains("External ID", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Backing up", output, StringComparison.Ordinal);
        Assert.DoesNotContain(_assumer.SecretAccessKey, output + error, StringComparison.Ordinal);
        await AssertNoOpenUploadsAsync();
    }

    [Fact]
    public async Task Run_KeysThenRoleWithExternalId_UploadsAsTheRole()
    {
        string file = CreateFile(6 << 20);

        (int exitCode, string output, string error) = await RunAsync(
            _assumer,
            [file, "--bucket", Bucket, "--role-arn", _roleArn, "--external-id", ExternalId, "--part-size", "5MiB", "--compression", "none"]);

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("Backup uploaded and verified.", output, StringComparison.Ordinal);
        Assert.Matches(@"Uploaded\s+[\d,]+ bytes \(.*\), 2 parts of 5\.0 MiB", output);
        Assert.Matches(@"Credentials\s+source AssumeRole", output);
        Assert.Matches(@"Role\s+arn:aws:iam::123456789012:role/partner-writer", output);
        Assert.DoesNotContain(_assumer.SecretAccessKey, output + error, StringComparison.Ordinal);
        await AssertNoOpenUploadsAsync();
    }

    private string CreateFile(int size)
    {
        string path = Path.Combine(_work.FullName, $"input-{size}.bin");
        byte[] bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync((string AccessKeyId, string SecretAccessKey, string Arn) user, string[] args)
    {
        await using SampleProcess uploader = SampleProcess.Start(
            "BackupUploader",
            [.. args, "--endpoint-url", _moto.Endpoint.ToString()],
            new Dictionary<string, string?>
            {
                ["AWS_REGION"] = "us-east-1",
                ["AWS_ACCESS_KEY_ID"] = user.AccessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = user.SecretAccessKey,
                ["AWS_ENDPOINT_URL_STS"] = _moto.Endpoint.ToString(),
                ["AWS_EC2_METADATA_DISABLED"] = "true",
                ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = _moto.Endpoint.ToString(),
                ["AWS_CONFIG_FILE"] = Path.Combine(_work.FullName, "no-config"),
                ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_work.FullName, "no-credentials"),
            });
        int exitCode = await uploader.WaitForExitAsync(Timeout, TestContext.Current.CancellationToken);
        return (exitCode, uploader.StandardOutput, uploader.StandardError);
    }

    private async Task AssertNoOpenUploadsAsync()
    {
        ListMultipartUploadsResponse uploads = await _admin.ListMultipartUploadsAsync(Bucket, TestContext.Current.CancellationToken);
        Assert.Empty(uploads.MultipartUploads ?? []);
    }
}
