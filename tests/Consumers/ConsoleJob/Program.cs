// A console job as the README shows it: the default chain behind the cache, in one line, signing an S3 client.
// Environment: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (the source identity), CONSUMER_ROLE_ARN (assumed on top),
// AWS_ENDPOINT_URL_STS and CONSUMER_S3_URL (moto on loopback), CONSUMER_BUCKET.
using Amazon.S3;
using Amazon.S3.Model;
using WorkloadCredentials;
using WorkloadCredentials.AwsSdk;

string roleArn = Environment.GetEnvironmentVariable("CONSUMER_ROLE_ARN") ?? throw new InvalidOperationException("CONSUMER_ROLE_ARN is not set.");
string bucket = Environment.GetEnvironmentVariable("CONSUMER_BUCKET") ?? throw new InvalidOperationException("CONSUMER_BUCKET is not set.");
string s3Url = Environment.GetEnvironmentVariable("CONSUMER_S3_URL") ?? throw new InvalidOperationException("CONSUMER_S3_URL is not set.");

// 1. The default chain with a role on top, behind the refresh cache. Disposed at the end of the job.
using ICachedAwsCredentialSource credentials = AwsCredentialSources.CreateDefault(options => options.AssumeRole.RoleArn = roleArn);

// 2. Any AWS SDK client signs with it.
using var s3 = new AmazonS3Client(new WorkloadAwsCredentials(credentials), new AmazonS3Config { ServiceURL = s3Url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
string key = "consumer/console-" + Environment.Version;
await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "hello from net8.0" });
using GetObjectResponse read = await s3.GetObjectAsync(bucket, key);
using var reader = new StreamReader(read.ResponseStream);
string body = await reader.ReadToEndAsync();

AwsCredentials resolved = await credentials.GetCredentialsAsync();
Console.WriteLine($"console-job: runtime {Environment.Version}, source {resolved.SourceName}, role {resolved.RoleArn}, read back '{body}'");
return body == "hello from net8.0" && resolved.SourceName == "AssumeRole" ? 0 : 1;
