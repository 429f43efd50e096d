using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

namespace WorkloadCredentials.Tests.AwsSdk;

/// <summary>
/// SDK clients from <c>AddAWSService</c> / <c>AddKeyedAWSService</c> with no glue (WorkloadCredentials.AwsSdk.Extensions), against
/// moto_server with signature and IAM policy checks on: the base user may only assume roles; each role may only touch its own
/// buckets. The role is proven by GetCallerIdentity and by S3 calls only that role may make.
/// </summary>
public sealed class AwsSdkFromDependencyInjectionMotoTests : IAsyncLifetime
{
    // Free (unsigned) actions: the user (3) and two roles (2 each). Everything after them is signed and checked.
    private const int FreeActions = 7;
    private const string AssumeOnly = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""";

    private MotoServer? _moto;
    private (string Key, string Secret, string Arn) _user;
    private string _appRole = "";
    private string _backupsRole = "";

    private MotoServer Moto => _moto ?? throw new InvalidOperationException("moto is not started.");

    public async ValueTask InitializeAsync()
    {
        _moto = await MotoServer.StartAsync(initialNoAuthActionCount: FreeActions, TestContext.Current.CancellationToken);
        var iam = new MotoIam(_moto);
        _user = await iam.CreateUserWithKeyAsync("workload", AssumeOnly);
        string trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"USER"},"Action":"sts:AssumeRole"}]}""".Replace("USER", _user.Arn, StringComparison.Ordinal);
        _appRole = await iam.CreateRoleAsync("app-role", trust, BucketPolicy("app-"));
        _backupsRole = await iam.CreateRoleAsync("backups-role", trust, BucketPolicy("backups-"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_moto is not null)
        {
            await _moto.DisposeAsync();
        }
    }

    [Fact]
    public async Task AddAwsService_DefaultSource_SignsAsTheAssumedRole_KeepsTheAwsSection()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using ServiceProvider provider = Build(services =>
        {
            services.AddAWSService<IAmazonS3>();
            services.AddAWSService<IAmazonSecurityTokenService>();
        });

        GetCallerIdentityResponse identity = await provider.GetRequiredService<IAmazonSecurityTokenService>().GetCallerIdentityAsync(new GetCallerIdentityRequest(), ct);
        Assert.StartsWith("arn:aws:sts::123456789012:assumed-role/app-role/", identity.Arn, StringComparison.Ordinal);

        var s3 = provider.GetRequiredService<IAmazonS3>();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "app-data" }, ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "app-data", Key = "k", ContentBody = "v" }, ct);
        AmazonS3Exception denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutBucketAsync(new PutBucketRequest { BucketName = "backups-data" }, ct));
        Assert.Equal("AccessDenied", denied.ErrorCode);

        // The rest of the section is the SDK's: region and service URL.
        AWSOptions options = provider.GetRequiredService<AWSOptions>();
        Assert.Equal(RegionEndpoint.USEast1, options.Region);
        Assert.Equal(Moto.Endpoint.ToString(), options.DefaultClientConfig.ServiceURL);

        // The base user alone may not touch S3: the policy checks are on.
        using var asUser = new AmazonS3Client(new BasicAWSCredentials(_user.Key, _user.Secret), new AmazonS3Config { ServiceURL = Moto.Endpoint.ToString(), AuthenticationRegion = "us-east-1", ForcePathStyle = true });
        Assert.Equal("AccessDenied", (await Assert.ThrowsAsync<AmazonS3Exception>(() => asUser.PutBucketAsync(new PutBucketRequest { BucketName = "app-user" }, ct))).ErrorCode);
        SecretScanner.Check(string.Join("\n", provider.GetFakeLogCollector().GetSnapshot().Select(r => r.Message + r.Exception)), "logs");
    }

    [Fact]
    public async Task AddKeyedAwsService_NamedSource_SignsAsItsOwnRole()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using ServiceProvider provider = Build(services =>
        {
            services.AddWorkloadCredentials("backups", Configuration.GetSection("AWS:Backups"));
            services.AddAWSService<IAmazonS3>();
            services.AddKeyedAWSService<IAmazonS3>("backups");
            services.AddKeyedAWSService<IAmazonSecurityTokenService>("backups");
        });

        GetCallerIdentityResponse identity = await provider.GetRequiredKeyedService<IAmazonSecurityTokenService>("backups").GetCallerIdentityAsync(new GetCallerIdentityRequest(), ct);
        Assert.StartsWith("arn:aws:sts::123456789012:assumed-role/backups-role/", identity.Arn, StringComparison.Ordinal);

        var backups = provider.GetRequiredKeyedService<IAmazonS3>("backups");
        var app = provider.GetRequiredService<IAmazonS3>();
        Assert.NotSame(app, backups);
        await backups.PutBucketAsync(new PutBucketRequest { BucketName = "backups-nightly" }, ct);
        Assert.Equal("AccessDenied", (await Assert.ThrowsAsync<AmazonS3Exception>(() => backups.PutBucketAsync(new PutBucketRequest { BucketName = "app-other" }, ct))).ErrorCode);
        Assert.Equal("AccessDenied", (await Assert.ThrowsAsync<AmazonS3Exception>(() => app.PutObjectAsync(new PutObjectRequest { BucketName = "backups-nightly", Key = "k", ContentBody = "v" }, ct))).ErrorCode);
    }

    private IConfigurationRoot Configuration { get; set; } = null!;

    private ServiceProvider Build(Action<IServiceCollection> configure)
    {
        string endpoint = Moto.Endpoint.ToString();
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AWS:Region"] = "us-east-1",
            ["AWS:ServiceURL"] = endpoint,
            ["AWS:StaticKeys:AccessKeyId"] = _user.Key,
            ["AWS:StaticKeys:SecretAccessKey"] = _user.Secret,
            ["AWS:AssumeRole:RoleArn"] = _appRole,
            ["AWS:Sts:EndpointUrl"] = endpoint,
            ["AWS:Backups:Region"] = "us-east-1",
            ["AWS:Backups:ServiceURL"] = endpoint,
            ["AWS:Backups:StaticKeys:AccessKeyId"] = _user.Key,
            ["AWS:Backups:StaticKeys:SecretAccessKey"] = _user.Secret,
            ["AWS:Backups:AssumeRole:RoleArn"] = _backupsRole,
            ["AWS:Backups:Sts:EndpointUrl"] = endpoint,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IEnvironment>(new TestEnvironment());
        services.AddLoopbackOnlyConnections();
        services.AddFakeLogging().AddLogging(b => b.AddSecretScan());
        services.AddWorkloadCredentials(Configuration.GetSection("AWS"));
        configure(services);
        return services.BuildServiceProvider();
    }

    private static string BucketPolicy(string prefix) =>
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::PREFIX*","arn:aws:s3:::PREFIX*/*"]}]}""".Replace("PREFIX", prefix, StringComparison.Ordinal);
}
