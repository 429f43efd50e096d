// INTERIM stand-in, compiled only when UseWorkloadCredentialsLibrary is false: the same flow as the library
// (web identity -> assume role with External ID, or environment keys -> assume role) written on the AWS SDK alone,
// without caching or refresh. Delete this file once CredentialSetup.Library.cs builds.
using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace BackupUploader.Credentials;

internal static partial class CredentialSetup
{
    public static partial async Task<UploaderCredentials> CreateAsync(CredentialRequest request, CancellationToken cancellationToken)
    {
        string region = request.Region ?? Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION") ?? "us-east-1";
        string? stsUrl = Env("AWS_ENDPOINT_URL_STS") ?? Env("AWS_ENDPOINT_URL");
        string sessionName = request.RoleSessionName ?? "backup-uploader";

        AWSCredentials credentials;
        string source;
        string? roleArn = null;
        DateTimeOffset? expiration = null;
        try
        {
            if (request.WebIdentityRoleArn is { } webIdentityRole && request.WebIdentityTokenFile is { } tokenFile)
            {
                string token = (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim();
                using AmazonSecurityTokenServiceClient sts = CreateSts(new AnonymousAWSCredentials(), region, stsUrl);
                AssumeRoleWithWebIdentityResponse response = await sts.AssumeRoleWithWebIdentityAsync(
                    new AssumeRoleWithWebIdentityRequest { RoleArn = webIdentityRole, RoleSessionName = sessionName, WebIdentityToken = token },
                    cancellationToken);
                credentials = new SessionAWSCredentials(response.Credentials.AccessKeyId, response.Credentials.SecretAccessKey, response.Credentials.SessionToken);
                (source, roleArn, expiration) = ("WebIdentity", webIdentityRole, ToOffset(response.Credentials.Expiration));
            }
            else if (Env("AWS_ACCESS_KEY_ID") is { } keyId && Env("AWS_SECRET_ACCESS_KEY") is { } secret)
            {
                credentials = Env("AWS_SESSION_TOKEN") is { } token ? new SessionAWSCredentials(keyId, secret, token) : new BasicAWSCredentials(keyId, secret);
                source = "Environment";
            }
            else
            {
                throw new UploaderException(
                    "No AWS credentials could be resolved: the interim credential setup only reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. " + NoCredentialsFix,
                    ExitCodes.Credentials);
            }

            if (request.RoleArn is { } role)
            {
                using AmazonSecurityTokenServiceClient sts = CreateSts(credentials, region, stsUrl);
                AssumeRoleResponse response = await sts.AssumeRoleAsync(
                    new AssumeRoleRequest { RoleArn = role, RoleSessionName = sessionName, ExternalId = request.ExternalId },
                    cancellationToken);
                credentials = new SessionAWSCredentials(response.Credentials.AccessKeyId, response.Credentials.SecretAccessKey, response.Credentials.SessionToken);
                (source, roleArn, expiration) = ("AssumeRole", role, ToOffset(response.Credentials.Expiration));
            }
        }
        catch (AmazonSecurityTokenServiceException ex)
        {
            throw new UploaderException(
                $"STS refused the credentials for role {request.RoleArn ?? request.WebIdentityRoleArn} ({ex.ErrorCode}: {ex.Message}). Check the role ARN, its trust policy and the External ID.",
                ExitCodes.Credentials,
                ex);
        }

        ImmutableCredentials current = await credentials.GetCredentialsAsync();
        var description = new CredentialDescription(source, roleArn, expiration, CredentialDescription.RedactAccessKeyId(current.AccessKey), "interim AWS SDK setup (no refresh)");
        return new UploaderCredentials(credentials, _ => ValueTask.FromResult(description));
    }

    private static AmazonSecurityTokenServiceClient CreateSts(AWSCredentials credentials, string region, string? serviceUrl) =>
        serviceUrl is null
            ? new AmazonSecurityTokenServiceClient(credentials, RegionEndpoint.GetBySystemName(region))
            : new AmazonSecurityTokenServiceClient(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = serviceUrl, AuthenticationRegion = region });

    private static DateTimeOffset? ToOffset(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc)) : null;

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}
