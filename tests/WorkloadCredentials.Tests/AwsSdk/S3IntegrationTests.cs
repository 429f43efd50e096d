using System.Reflection;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using WorkloadCredentials.AwsSdk;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.AwsSdk;

/// <summary>
/// A real AWS SDK client (AmazonS3Client) against moto_server with SigV4 and IAM policy checks on: an IAM user's keys, read
/// through our sources and the <see cref="WorkloadAwsCredentials"/> adapter, sign an upload and a read; a wrong secret gets the
/// service's signature error. Every request goes to loopback (the SDK's HTTP clients refuse anything else).
/// </summary>
public sealed class S3IntegrationTests : IAsyncLifetime
{
    // Free (unsigned) actions: CreateUser, PutUserPolicy, CreateAccessKey. Everything after them is verified.
    private const int FreeActions = 3;

    private const string S3Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""";

    private readonly LoopbackOnlyHttpClientFactory _http = new();
    private MotoServer? _moto;
    private (string AccessKeyId, string SecretAccessKey, string Arn) _user;

    private MotoServer Moto => _moto ?? throw new InvalidOperationException("moto is not started.");

    public async ValueTask InitializeAsync()
    {
        _moto = await MotoServer.StartAsync(initialNoAuthActionCount: FreeActions, TestContext.Current.CancellationToken);
        _user = await new MotoIam(_moto).CreateUserWithKeyAsync("backup-uploader", S3Policy);
    }

    public async ValueTask DisposeAsync()
    {
        if (_moto is not null)
        {
            await _moto.DisposeAsync();
        }
    }

    private AmazonS3Client CreateClient(AWSCredentials credentials) => new(credentials, new AmazonS3Config
    {
        ServiceURL = Moto.Endpoint.ToString(),
        AuthenticationRegion = "us-east-1",
        ForcePathStyle = true,
        MaxErrorRetry = 0,
        HttpClientFactory = _http,
    });

    private static async Task UploadAndReadBackAsync(AmazonS3Client client, string bucket)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, ct);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "backups/hello.txt", ContentBody = "hello from a workload" }, ct);

        using GetObjectResponse response = await client.GetObjectAsync(bucket, "backups/hello.txt", ct);
        using var reader = new StreamReader(response.ResponseStream);
        Assert.Equal("hello from a workload", await reader.ReadToEndAsync(ct));
    }

    [Fact]
    public async Task PutObject_IamUserKeysFromStaticKeys_UploadsAndReadsBack()
    {
        using var source = (IDisposable)AwsCredentialSources.CreateDefault(o =>
        {
            o.StaticKeys.AccessKeyId = _user.AccessKeyId;
            o.StaticKeys.SecretAccessKey = _user.SecretAccessKey;
        });
        var credentials = new WorkloadAwsCredentials((IAwsCredentialSource)source);
        using AmazonS3Client client = CreateClient(credentials);

        await UploadAndReadBackAsync(client, "static-keys-bucket");

        Assert.Equal(3, _http.Requests);
    }

    [Fact]
    public async Task PutObject_IamUserKeysFromEnvironment_UploadsAndReadsBack()
    {
        var context = NetworkSafety.Guarded(
            new WorkloadCredentialsOptions(),
            new TestEnvironment { ["AWS_ACCESS_KEY_ID"] = _user.AccessKeyId, ["AWS_SECRET_ACCESS_KEY"] = _user.SecretAccessKey });
        using var source = AwsCredentialSources.CreateDefault(context);
        using AmazonS3Client client = CreateClient(new WorkloadAwsCredentials(source));

        await UploadAndReadBackAsync(client, "environment-keys-bucket");

        Assert.Equal("Environment", source.Current?.SourceName);
    }

    [Fact]
    public async Task PutBucket_WrongSecret_GetsSignatureDoesNotMatch()
    {
        using var source = (IDisposable)AwsCredentialSources.CreateDefault(o =>
        {
            o.StaticKeys.AccessKeyId = _user.AccessKeyId;
            o.StaticKeys.SecretAccessKey = "not-the-secret-of-this-user-0000000000";
        });
        using AmazonS3Client client = CreateClient(new WorkloadAwsCredentials((IAwsCredentialSource)source));

        var ex = await Assert.ThrowsAsync<AmazonS3Exception>(
            () => client.PutBucketAsync(new PutBucketRequest { BucketName = "wrong-secret-bucket" }, TestContext.Current.CancellationToken));

        Assert.Equal("SignatureDoesNotMatch", ex.ErrorCode);
    }

    /// <remarks>
    /// AWSSDK.Extensions.NETCore.Setup 4.0.102.10 does not read <see cref="AWSCredentials"/> from the container: its client factory
    /// takes <c>AWSOptions.Credentials</c>, else a profile, else the SDK's own default chain (which probes EC2 instance metadata).
    /// So the documented wiring sets <c>AWSOptions.Credentials</c> from the container's adapter; this test proves it signs with ours.
    /// </remarks>
    [Fact]
    public async Task AddAWSService_AwsOptionsCredentialsFromTheContainer_ClientSignsWithOurCredentials()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IEnvironment>(new TestEnvironment());
        services.AddLoopbackOnlyConnections();
        services.AddWorkloadCredentials(o =>
        {
            o.StaticKeys.AccessKeyId = _user.AccessKeyId;
            o.StaticKeys.SecretAccessKey = _user.SecretAccessKey;
        });
        services.AddDefaultAWSOptions(sp => new AWSOptions { Credentials = sp.GetRequiredService<AWSCredentials>() });
        services.AddAWSService<IAmazonS3>((config, _) =>
        {
            config.ServiceURL = Moto.Endpoint.ToString();
            config.AuthenticationRegion = "us-east-1";
            config.MaxErrorRetry = 0;
            config.HttpClientFactory = _http;
            ((AmazonS3Config)config).ForcePathStyle = true;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        var client = (AmazonS3Client)provider.GetRequiredService<IAmazonS3>();

        // Before any request: the client signs with the container's adapter and talks to moto on loopback.
        Assert.IsType<WorkloadAwsCredentials>(ExplicitCredentials(client));
        Assert.Same(provider.GetRequiredService<AWSCredentials>(), ExplicitCredentials(client));
        Assert.Equal("127.0.0.1", new Uri(client.Config.ServiceURL).Host);

        await UploadAndReadBackAsync(client, "dependency-injection-bucket");

        Assert.Equal(3, _http.Requests);
    }

    private static AWSCredentials? ExplicitCredentials(AmazonServiceClient client) =>
        (AWSCredentials?)typeof(AmazonServiceClient)
            .GetProperty("ExplicitAWSCredentials", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!
            .GetValue(client);
}
