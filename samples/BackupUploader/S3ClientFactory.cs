using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace BackupUploader;

/// <summary>Builds the S3 client: regional AWS endpoint by default, or a given endpoint (emulator, MinIO, VPC endpoint) with path-style addressing.</summary>
internal static class S3ClientFactory
{
    public static AmazonS3Client Create(AWSCredentials credentials, string region, Uri? serviceUrl)
    {
        var config = new AmazonS3Config();
        if (serviceUrl is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = serviceUrl.ToString();
            config.AuthenticationRegion = region;
            config.ForcePathStyle = true;
        }

        return new AmazonS3Client(credentials, config);
    }
}
