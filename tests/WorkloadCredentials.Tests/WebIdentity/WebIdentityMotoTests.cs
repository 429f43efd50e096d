using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Sts.Fakes;
using WorkloadCredentials.WebIdentity.Internal;

namespace WorkloadCredentials.Tests.WebIdentity;

/// <summary>
/// Web identity against a real moto_server with signature and IAM policy checks on. AssumeRoleWithWebIdentity is unsigned, and moto
/// answers unsigned requests with HTTP 500 once auth is on, so the free actions (INITIAL_NO_AUTH_ACTION_COUNT) are counted to end
/// right after the web identity calls: everything after them (GetCallerIdentity, KMS, S3) is signed and policy-checked.
/// </summary>
public sealed class WebIdentityMotoTests : IDisposable
{
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YmFja3VwOnVwbG9hZGVyIn0.moto-signature";

    private readonly StsTestHarness _harness = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _harness.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task GetCredentialsAsync_Moto_AssumedRoleUploadsWithKmsAndAes256()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        // Free actions: CreateUser, PutUserPolicy, CreateAccessKey, CreateRole + PutRolePolicy (writer), CreateRole (no permissions),
        // then the two unsigned AssumeRoleWithWebIdentity calls. Action 9 on is signed and checked.
        await using MotoServer moto = await MotoServer.StartAsync(initialNoAuthActionCount: 8, ct);
        var iam = new MotoIam(moto);
        (string adminKey, string adminSecret, _) = await iam.CreateUserWithKeyAsync("admin", MotoIam.AllowAllPolicy);
        string writerRole = await iam.CreateRoleAsync("backup-writer", MotoIam.TrustEveryonePolicy, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","kms:*","sts:GetCallerIdentity"],"Resource":"*"}]}""");
        string idleRole = await iam.CreateRoleAsync("no-permissions", MotoIam.TrustEveryonePolicy);

        AwsCredentials writer = await FetchAsync(moto, writerRole, "uploader-pod");
        AwsCredentials idle = await FetchAsync(moto, idleRole, "idle-pod");

        Assert.Equal(writerRole, writer.RoleArn);
        Assert.Equal("123456789012", writer.AccountId);
        Assert.StartsWith("ASIA", writer.AccessKeyId, StringComparison.Ordinal);
        Assert.NotNull(writer.SessionToken);
        Assert.True(writer.Expiration > DateTimeOffset.UtcNow);

        // Auth is on from here. The admin (IAM user keys) prepares a KMS key, and the bucket with a policy that lets the writer role upload.
        var admin = new BasicAWSCredentials(adminKey, adminSecret);
        using AmazonKeyManagementServiceClient kms = MotoClients.Kms(moto, admin);
        string keyId = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "backups" }, ct)).KeyMetadata.KeyId;
        using AmazonS3Client adminS3 = MotoClients.S3(moto, admin);
        await adminS3.PutBucketAsync(new PutBucketRequest { BucketName = "backups" }, ct);
        await adminS3.PutBucketPolicyAsync(new PutBucketPolicyRequest
        {
            BucketName = "backups",
            Policy = $$"""{"Version":"2012-10-17","Statement":[{"Sid":"WriterUploads","Effect":"Allow","Principal":{"AWS":"{{writerRole}}"},"Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::backups/*"}]}""",
        }, ct);

        // GetCallerIdentity, signed with the web identity credentials, names the assumed role.
        var source = new QueuedCredentialSource(writer);
        using AmazonSecurityTokenServiceClient sts = MotoClients.Sts(moto, MotoClients.Signing(source));
        GetCallerIdentityResponse identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), ct);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/backup-writer/uploader-pod", identity.Arn);

        // Uploads through an AmazonS3Client built on our source: SSE-KMS with the key, and SSE-S3 (AES256).
        using AmazonS3Client s3 = MotoClients.S3(moto, MotoClients.Signing(source));
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "backups",
            Key = "db/kms.bak",
            ContentBody = "kms-encrypted backup",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
            ServerSideEncryptionKeyManagementServiceKeyId = keyId,
        }, ct);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "backups",
            Key = "db/aes.bak",
            ContentBody = "aes-encrypted backup",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
        }, ct);

        GetObjectMetadataResponse kmsObject = await s3.GetObjectMetadataAsync("backups", "db/kms.bak", ct);
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, kmsObject.ServerSideEncryptionMethod);
        Assert.EndsWith(keyId, kmsObject.ServerSideEncryptionKeyManagementServiceKeyId, StringComparison.Ordinal);
        GetObjectMetadataResponse aesObject = await s3.GetObjectMetadataAsync("backups", "db/aes.bak", ct);
        Assert.Equal(ServerSideEncryptionMethod.AES256, aesObject.ServerSideEncryptionMethod);

        // The checks are real: a role without an S3 policy is denied, and a tampered secret fails the signature.
        using AmazonS3Client idleS3 = MotoClients.S3(moto, MotoClients.Signing(new QueuedCredentialSource(idle)));
        var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => idleS3.PutObjectAsync(new PutObjectRequest { BucketName = "backups", Key = "x", ContentBody = "x", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 }, ct));
        Assert.Equal("AccessDenied", denied.ErrorCode);
        var tampered = new AwsCredentials(writer.AccessKeyId, writer.SecretAccessKey + "x", writer.SessionToken, writer.Expiration, "test");
        using AmazonSecurityTokenServiceClient badSts = MotoClients.Sts(moto, MotoClients.Signing(new QueuedCredentialSource(tampered)));
        var badSignature = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => badSts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), ct));
        Assert.Equal("SignatureDoesNotMatch", badSignature.ErrorCode);
    }

    private async Task<AwsCredentials> FetchAsync(MotoServer moto, string roleArn, string sessionName)
    {
        using var harness = new StsTestHarness();
        harness.Options.Region = MotoClients.Region;
        harness.Options.Sts.EndpointUrl = moto.Endpoint.ToString();
        harness.Environment["AWS_ROLE_ARN"] = roleArn;
        harness.Environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _temp.Write(sessionName + ".jwt", Token);
        harness.Environment["AWS_ROLE_SESSION_NAME"] = sessionName;
        IAwsCredentialSource source = WebIdentitySourceFactory.FromContext(harness.Context());
        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(Token, harness.LogText(), StringComparison.Ordinal);
        return credentials;
    }
}
