using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using BenchmarkDotNet.Attributes;
using WorkloadCredentials.AwsSdk;
using WorkloadCredentials.Benchmarks.Fakes;

namespace WorkloadCredentials.Benchmarks;

/// <summary>
/// The uploader's overhead: one multipart UploadPart signed and sent by <see cref="AmazonS3Client"/> to a handler that reads the
/// body and answers 200 at once, with credentials from static keys (the baseline), static keys with a session token (the same
/// request as the temporary credentials make: the signer adds <c>x-amz-security-token</c>), the AWS SDK's own
/// <see cref="AssumeRoleWithWebIdentityCredentials"/> and ours (the SDK adapter over our cached web identity source). Both web
/// identity providers got their credentials from a loopback fake STS during setup, so every timed call is a cache hit.
/// </summary>
[MemoryDiagnoser]
public class UploaderBenchmarks
{
    private const string Bucket = "bench-bucket";
    private const string RoleArn = "arn:aws:iam::123456789012:role/bench-role";

    private LoopbackAwsFake _fake = null!;
    private string _tokenFile = null!;
    private byte[] _part = null!;
    private AmazonS3Client _staticClient = null!;
    private AmazonS3Client _staticSessionClient = null!;
    private AmazonS3Client _sdkWebIdentityClient = null!;
    private AmazonS3Client _oursClient = null!;
    private ICachedAwsCredentialSource _ours = null!;

    /// <summary>Gets or sets the part size in bytes.</summary>
    [Params(64 * 1024, 1024 * 1024)]
    public int PartSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fake = new LoopbackAwsFake();
        _tokenFile = Path.GetTempFileName();
        File.WriteAllText(_tokenFile, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl");
        Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", _fake.BaseUri.ToString());
        _part = new byte[PartSize];
        Random.Shared.NextBytes(_part);

        var sdkWebIdentity = new AssumeRoleWithWebIdentityCredentials(_tokenFile, RoleArn, "bench");
        _ = sdkWebIdentity.GetCredentials();
        _ours = AwsCredentialSources.Cache(AwsCredentialSources.WebIdentity(options =>
        {
            options.Region = "us-east-1";
            options.WebIdentity.RoleArn = RoleArn;
            options.WebIdentity.WebIdentityTokenFile = _tokenFile;
            options.Sts.EndpointUrl = _fake.BaseUri.ToString();
        }));
        var ours = new WorkloadAwsCredentials(_ours);
        _ = ours.GetCredentials();
        int stsCalls = _fake.Requests;
        if (stsCalls != 2)
        {
            throw new InvalidOperationException($"Expected one STS call per web identity provider during setup, saw {stsCalls}.");
        }

        _staticClient = CreateClient(new BasicAWSCredentials("AKIDEXAMPLE", "static-secret"));
        _staticSessionClient = CreateClient(new SessionAWSCredentials("ASIASTATICEXAMPLE", "static-secret", "static-session-token"));
        _sdkWebIdentityClient = CreateClient(sdkWebIdentity);
        _oursClient = CreateClient(ours);
        foreach (AmazonS3Client client in new[] { _staticClient, _staticSessionClient, _sdkWebIdentityClient, _oursClient })
        {
            UploadPartResponse response = UploadAsync(client).GetAwaiter().GetResult();
            if (response.ETag is null)
            {
                throw new InvalidOperationException("The fake S3 answer was not read as an UploadPart response.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _staticClient.Dispose();
        _staticSessionClient.Dispose();
        _sdkWebIdentityClient.Dispose();
        _oursClient.Dispose();
        ((IDisposable)_ours).Dispose();
        _fake.Dispose();
        File.Delete(_tokenFile);
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", null);
    }

    [Benchmark(Baseline = true, Description = "UploadPart_StaticKeys")]
    public Task<UploadPartResponse> UploadPart_StaticKeys() => UploadAsync(_staticClient);

    [Benchmark(Description = "UploadPart_StaticKeysWithSessionToken")]
    public Task<UploadPartResponse> UploadPart_StaticKeysWithSessionToken() => UploadAsync(_staticSessionClient);

    [Benchmark(Description = "UploadPart_AwsSdkWebIdentity")]
    public Task<UploadPartResponse> UploadPart_AwsSdkWebIdentity() => UploadAsync(_sdkWebIdentityClient);

    [Benchmark(Description = "UploadPart_Ours")]
    public Task<UploadPartResponse> UploadPart_Ours() => UploadAsync(_oursClient);

    /// <summary>
    /// The same four uploads interleaved in one process: each round sends one part with every client, in an order that rotates
    /// from round to round, so a change of machine load falls on all four alike. Prints each client's mean and its ratio to
    /// static keys, and ours against static keys with a session token (the same request: what is left is the credential lookup). Run: <c>dotnet run -c Release --project benchmarks/WorkloadCredentials.Benchmarks -- uploader-interleaved</c>.
    /// </summary>
    public static void RunInterleaved()
    {
        foreach ((int partSize, int rounds) in new[] { (64 * 1024, 3000), (1024 * 1024, 600) })
        {
            var benchmarks = new UploaderBenchmarks { PartSize = partSize };
            benchmarks.Setup();
            AmazonS3Client[] clients = [benchmarks._staticClient, benchmarks._staticSessionClient, benchmarks._sdkWebIdentityClient, benchmarks._oursClient];
            string[] names = ["static keys", "static keys + token", "aws-sdk web identity", "ours"];
            var total = new long[clients.Length];
            for (int round = -rounds / 10; round < rounds; round++)
            {
                for (int k = 0; k < clients.Length; k++)
                {
                    int c = (k + Math.Abs(round)) % clients.Length;
                    long start = Stopwatch.GetTimestamp();
                    _ = benchmarks.UploadAsync(clients[c]).GetAwaiter().GetResult();
                    if (round >= 0)
                    {
                        total[c] += Stopwatch.GetTimestamp() - start;
                    }
                }
            }

            benchmarks.Cleanup();
            for (int c = 0; c < clients.Length; c++)
            {
                double meanUs = total[c] * 1e6 / Stopwatch.Frequency / rounds;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"part {partSize / 1024,5} KiB, {rounds} rounds: {names[c],-22} {meanUs,9:F1} us per part, ratio to static keys {(double)total[c] / total[0]:F4}, to static keys + token {(double)total[c] / total[1]:F4}"));
            }
        }
    }

    private static AmazonS3Client CreateClient(AWSCredentials credentials) => new(credentials, new AmazonS3Config
    {
        ServiceURL = "http://127.0.0.1:9/",
        AuthenticationRegion = "us-east-1",
        ForcePathStyle = true,
        MaxErrorRetry = 0,
        HttpClientFactory = new AnswerAtOnceHttpClientFactory(),
    });

    private Task<UploadPartResponse> UploadAsync(AmazonS3Client client) => client.UploadPartAsync(new UploadPartRequest
    {
        BucketName = Bucket,
        Key = "backups/archive.tar",
        UploadId = "bench-upload",
        PartNumber = 1,
        InputStream = new MemoryStream(_part, writable: false),
    });
}
