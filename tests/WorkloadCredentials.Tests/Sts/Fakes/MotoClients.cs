using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using WorkloadCredentials.AwsSdk;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Sts.Fakes;

/// <summary>
/// AWS SDK clients pointed at a loopback moto, with an explicit region (the SDK never probes IMDS) and no SDK retries.
/// <see cref="Signing"/> turns any of our sources into the SDK's <see cref="AWSCredentials"/> through the public adapter.
/// </summary>
public static class MotoClients
{
    public const string Region = "us-east-1";

    public static AWSCredentials Signing(IAwsCredentialSource source) => new WorkloadAwsCredentials(source);

    public static AmazonS3Client S3(MotoServer moto, AWSCredentials credentials) => new(credentials, new AmazonS3Config
    {
        ServiceURL = moto.Endpoint.ToString(),
        AuthenticationRegion = Region,
        ForcePathStyle = true,
        MaxErrorRetry = 0,
    });

    public static AmazonKeyManagementServiceClient Kms(MotoServer moto, AWSCredentials credentials) => new(credentials, new AmazonKeyManagementServiceConfig
    {
        ServiceURL = moto.Endpoint.ToString(),
        AuthenticationRegion = Region,
        MaxErrorRetry = 0,
    });

    public static AmazonSecurityTokenServiceClient Sts(MotoServer moto, AWSCredentials credentials) => new(credentials, new AmazonSecurityTokenServiceConfig
    {
        ServiceURL = moto.Endpoint.ToString(),
        AuthenticationRegion = Region,
        MaxErrorRetry = 0,
    });
}
