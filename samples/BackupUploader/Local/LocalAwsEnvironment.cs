using System.Security.Cryptography;
using System.Text.Json;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace BackupUploader.Local;

/// <summary>
/// Sets up, in the emulator, what a platform team sets up in a real account for this job:
/// <list type="number">
/// <item><description>an OIDC provider and an "IRSA" role the pod's service account token may assume (AssumeRoleWithWebIdentity);</description></item>
/// <item><description>a backup-writer role whose trust policy admits only that role and only with the right External ID (sts:ExternalId);</description></item>
/// <item><description>a bucket, a KMS key, and a least-privilege policy on the writer role for both;</description></item>
/// <item><description>a projected service account token file (JWT-shaped), as the kubelet writes it.</description></item>
/// </list>
/// </summary>
internal sealed class LocalAwsEnvironment : IDisposable
{
    public const string Region = "us-east-1";
    public const string BucketName = "workload-credentials-backups";
    private const string OidcHost = "oidc.local.example";
    private const string Audience = "sts.amazonaws.com";
    private const string ServiceAccount = "system:serviceaccount:backup:backup-uploader";

    /// <summary>The role session name local mode uses for both roles.</summary>
    public const string SessionName = "backup-uploader-local";

    private LocalAwsEnvironment(Uri endpoint, DirectoryInfo directory)
    {
        Endpoint = endpoint;
        Directory = directory;
        TokenFile = Path.Combine(directory.FullName, "token");
    }

    public Uri Endpoint { get; }

    public DirectoryInfo Directory { get; }

    public string TokenFile { get; }

    public string WebIdentityRoleArn { get; private set; } = "";

    public string WriterRoleArn { get; private set; } = "";

    /// <summary>Gets the External ID the writer role requires (random per run; not printed).</summary>
    public string ExternalId { get; } = "backup-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public string KmsKeyArn { get; private set; } = "";

    public static async Task<LocalAwsEnvironment> CreateAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var environment = new LocalAwsEnvironment(endpoint, System.IO.Directory.CreateTempSubdirectory("backup-uploader-"));
        try
        {
            await environment.BootstrapAsync(cancellationToken);
            return environment;
        }
        catch
        {
            environment.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Points every AWS endpoint this process may use (STS, S3, instance metadata) at the emulator and hides the developer's own
    /// AWS settings (keys, profiles, container credentials), so the default chain can only find what local mode set up.
    /// </summary>
    public void IsolateProcessEnvironment()
    {
        string url = Endpoint.ToString().TrimEnd('/');
        foreach (string name in new[]
        {
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCOUNT_ID", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
            "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            "AWS_EC2_METADATA_DISABLED", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_KMS",
        })
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(Directory.FullName, "no-config"));
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(Directory.FullName, "no-credentials"));
        Environment.SetEnvironmentVariable("AWS_REGION", Region);
        Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", Region);
        Environment.SetEnvironmentVariable("AWS_STS_REGIONAL_ENDPOINTS", "regional");
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", url);
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", url);
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_SERVICE_ENDPOINT", url);
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv4");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task BootstrapAsync(CancellationToken cancellationToken)
    {
        // The emulator's checks are off while it is set up; these keys only exist for the SDK clients to sign with.
        var bootstrap = new BasicAWSCredentials("LOCALBOOTSTRAPKEY000", "local-bootstrap-not-a-secret");

        using (var kms = new AmazonKeyManagementServiceClient(bootstrap, new AmazonKeyManagementServiceConfig { ServiceURL = Endpoint.ToString(), AuthenticationRegion = Region }))
        {
            CreateKeyResponse key = await kms.CreateKeyAsync(new CreateKeyRequest { Description = "backup-uploader local mode" }, cancellationToken);
            KmsKeyArn = key.KeyMetadata.Arn;
        }

        using (var s3 = new AmazonS3Client(bootstrap, new AmazonS3Config { ServiceURL = Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = Region }))
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = BucketName }, cancellationToken);
        }

        using var iam = new IamFormClient(Endpoint);
        string provider = await iam.CreateOpenIdConnectProviderAsync("https://" + OidcHost, Audience, cancellationToken);
        WebIdentityRoleArn = await iam.CreateRoleAsync("backup-uploader-irsa", Policy(new
        {
            Effect = "Allow",
            Principal = new { Federated = provider },
            Action = "sts:AssumeRoleWithWebIdentity",
            Condition = new { StringEquals = new Dictionary<string, string> { [OidcHost + ":sub"] = ServiceAccount, [OidcHost + ":aud"] = Audience } },
        }), cancellationToken);

        // The role ARN admits every session of the IRSA role in AWS; moto compares the session's own ARN, so name that too.
        string sessionPrincipal = $"arn:aws:sts::{WebIdentityRoleArn.Split(':')[4]}:assumed-role/backup-uploader-irsa/{SessionName}";
        WriterRoleArn = await iam.CreateRoleAsync("backup-writer", Policy(new
        {
            Effect = "Allow",
            Principal = new { AWS = new[] { WebIdentityRoleArn, sessionPrincipal } },
            Action = "sts:AssumeRole",
            Condition = new { StringEquals = new Dictionary<string, string> { ["sts:ExternalId"] = ExternalId } },
        }), cancellationToken);

        await iam.PutRolePolicyAsync("backup-uploader-irsa", "assume-backup-writer", Policy(new
        {
            Effect = "Allow",
            Action = "sts:AssumeRole",
            Resource = WriterRoleArn,
        }), cancellationToken);

        await iam.PutRolePolicyAsync("backup-writer", "write-backups", Policy(
            new
            {
                Effect = "Allow",
                Action = new[] { "s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts" },
                Resource = $"arn:aws:s3:::{BucketName}/*",
            },
            new
            {
                Effect = "Allow",
                Action = new[] { "s3:ListBucketMultipartUploads" },
                Resource = $"arn:aws:s3:::{BucketName}",
            },
            new
            {
                Effect = "Allow",
                Action = new[] { "kms:GenerateDataKey", "kms:Decrypt" },
                Resource = KmsKeyArn,
            }), cancellationToken);

        await File.WriteAllTextAsync(TokenFile, CreateServiceAccountToken(), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(TokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string Policy(params object[] statements) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = statements });

    /// <summary>A JWT-shaped token like the kubelet's projected service account token (the emulator does not check the signature).</summary>
    private static string CreateServiceAccountToken()
    {
        long now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        string header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", kid = "local", typ = "JWT" }));
        string payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["aud"] = new[] { Audience },
            ["exp"] = now + 3600,
            ["iat"] = now,
            ["iss"] = "https://" + OidcHost,
            ["sub"] = ServiceAccount,
        }));
        return header + "." + payload + "." + Base64Url(RandomNumberGenerator.GetBytes(64));

        static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
