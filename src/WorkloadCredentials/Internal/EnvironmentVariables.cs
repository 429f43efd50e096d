namespace WorkloadCredentials.Internal;

/// <summary>
/// The environment variables the library reads, each named here once (the AWS SDKs' names). Sources, messages and tests refer to
/// these constants; no other library file spells a variable name as a string literal (a test checks).
/// </summary>
internal static class EnvironmentVariables
{
    /// <summary><c>AWS_ACCESS_KEY_ID</c>: the access key id of environment keys.</summary>
    public const string AccessKeyId = "AWS_ACCESS_KEY_ID";

    /// <summary><c>AWS_SECRET_ACCESS_KEY</c>: the secret access key of environment keys.</summary>
    public const string SecretAccessKey = "AWS_SECRET_ACCESS_KEY";

    /// <summary><c>AWS_SESSION_TOKEN</c>: the session token of temporary environment keys.</summary>
    public const string SessionToken = "AWS_SESSION_TOKEN";

    /// <summary><c>AWS_SECURITY_TOKEN</c>: the legacy name of the session token, read when AWS_SESSION_TOKEN is unset (as botocore does).</summary>
    public const string LegacySecurityToken = "AWS_SECURITY_TOKEN";

    /// <summary><c>AWS_ACCOUNT_ID</c>: the account id that goes with environment keys.</summary>
    public const string AccountId = "AWS_ACCOUNT_ID";

    /// <summary><c>AWS_PROFILE</c>: the shared config profile to use.</summary>
    public const string Profile = "AWS_PROFILE";

    /// <summary><c>AWS_CONFIG_FILE</c>: the shared config file (default ~/.aws/config).</summary>
    public const string ConfigFile = "AWS_CONFIG_FILE";

    /// <summary><c>AWS_SHARED_CREDENTIALS_FILE</c>: the shared credentials file (default ~/.aws/credentials).</summary>
    public const string SharedCredentialsFile = "AWS_SHARED_CREDENTIALS_FILE";

    /// <summary><c>AWS_REGION</c>: the region.</summary>
    public const string Region = "AWS_REGION";

    /// <summary><c>AWS_DEFAULT_REGION</c>: the region, when AWS_REGION is unset.</summary>
    public const string DefaultRegion = "AWS_DEFAULT_REGION";

    /// <summary><c>AWS_ENDPOINT_URL</c>: the endpoint of every service.</summary>
    public const string EndpointUrl = "AWS_ENDPOINT_URL";

    /// <summary><c>AWS_ENDPOINT_URL_STS</c>: the endpoint of STS.</summary>
    public const string EndpointUrlSts = "AWS_ENDPOINT_URL_STS";

    /// <summary><c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c>: ignores every configured endpoint URL.</summary>
    public const string IgnoreConfiguredEndpointUrls = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    /// <summary><c>AWS_STS_REGIONAL_ENDPOINTS</c>: legacy or regional STS endpoints.</summary>
    public const string StsRegionalEndpoints = "AWS_STS_REGIONAL_ENDPOINTS";

    /// <summary><c>AWS_USE_FIPS_ENDPOINT</c>: uses FIPS endpoints.</summary>
    public const string UseFipsEndpoint = "AWS_USE_FIPS_ENDPOINT";

    /// <summary><c>AWS_USE_DUALSTACK_ENDPOINT</c>: uses dual-stack endpoints.</summary>
    public const string UseDualStackEndpoint = "AWS_USE_DUALSTACK_ENDPOINT";

    /// <summary><c>AWS_ROLE_ARN</c>: the role of web identity (EKS IRSA).</summary>
    public const string RoleArn = "AWS_ROLE_ARN";

    /// <summary><c>AWS_WEB_IDENTITY_TOKEN_FILE</c>: the web identity token file (EKS IRSA).</summary>
    public const string WebIdentityTokenFile = "AWS_WEB_IDENTITY_TOKEN_FILE";

    /// <summary><c>AWS_ROLE_SESSION_NAME</c>: the role session name of web identity.</summary>
    public const string RoleSessionName = "AWS_ROLE_SESSION_NAME";

    /// <summary><c>AWS_EC2_METADATA_DISABLED</c>: turns instance metadata off.</summary>
    public const string Ec2MetadataDisabled = "AWS_EC2_METADATA_DISABLED";

    /// <summary><c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>: the IMDS endpoint.</summary>
    public const string Ec2MetadataServiceEndpoint = "AWS_EC2_METADATA_SERVICE_ENDPOINT";

    /// <summary><c>AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE</c>: iPv4 or IPv6 IMDS endpoint.</summary>
    public const string Ec2MetadataServiceEndpointMode = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";

    /// <summary><c>AWS_EC2_METADATA_V1_DISABLED</c>: forbids the IMDSv1 fallback.</summary>
    public const string Ec2MetadataV1Disabled = "AWS_EC2_METADATA_V1_DISABLED";

    /// <summary><c>AWS_EC2_INSTANCE_PROFILE_NAME</c>: the instance profile (role) name, skipping its discovery.</summary>
    public const string Ec2InstanceProfileName = "AWS_EC2_INSTANCE_PROFILE_NAME";

    /// <summary><c>AWS_METADATA_SERVICE_TIMEOUT</c>: the IMDS timeout, in seconds.</summary>
    public const string MetadataServiceTimeout = "AWS_METADATA_SERVICE_TIMEOUT";

    /// <summary><c>AWS_METADATA_SERVICE_NUM_ATTEMPTS</c>: the IMDS attempts.</summary>
    public const string MetadataServiceNumAttempts = "AWS_METADATA_SERVICE_NUM_ATTEMPTS";

    /// <summary><c>AWS_CONTAINER_CREDENTIALS_RELATIVE_URI</c>: the ECS task role path on 169.254.170.2.</summary>
    public const string ContainerCredentialsRelativeUri = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";

    /// <summary><c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c>: the full container credentials URI (EKS Pod Identity).</summary>
    public const string ContainerCredentialsFullUri = "AWS_CONTAINER_CREDENTIALS_FULL_URI";

    /// <summary><c>AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE</c>: the file of the container endpoint's authorization token.</summary>
    public const string ContainerAuthorizationTokenFile = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";

    /// <summary><c>AWS_CONTAINER_AUTHORIZATION_TOKEN</c>: the container endpoint's authorization token.</summary>
    public const string ContainerAuthorizationToken = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
}
