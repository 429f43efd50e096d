using WorkloadCredentials.Internal;

namespace WorkloadCredentials.InstanceMetadata;

/// <summary>Defaults, environment variables, profile keys and paths of the EC2 instance metadata source.</summary>
internal static class ImdsConstants
{
    public const string SourceName = "InstanceMetadata";

    public const string Troubleshooting = "See docs/instance-metadata.md#troubleshooting.";

    public static readonly Uri IPv4Endpoint = new("http://169.254.169.254");
    public static readonly Uri IPv6Endpoint = new("http://[fd00:ec2::254]");

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The shortest request timeout (options and <c>AWS_METADATA_SERVICE_TIMEOUT</c>): the timeout strategy's own minimum.</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest request timeout (options and <c>AWS_METADATA_SERVICE_TIMEOUT</c>).</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultFirstContactTimeout = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan DefaultTokenTtl = TimeSpan.FromHours(6);
    public const int DefaultMaxRetryAttempts = 2;
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(1);
    public const string RetryStrategyName = "ImdsRetry";

    /// <summary>After the token request is refused or times out, IMDSv1 is used this long before IMDSv2 is tried again.</summary>
    public static readonly TimeSpan V1FallbackWindow = TimeSpan.FromMinutes(5);

    /// <summary>Credentials IMDS returns already expired are used this long (plus up to the same again, jittered) while IMDS recovers.</summary>
    public static readonly TimeSpan ExpiredCredentialsExtension = TimeSpan.FromMinutes(5);

    public const string DisabledVariable = EnvironmentVariables.Ec2MetadataDisabled;
    public const string EndpointVariable = EnvironmentVariables.Ec2MetadataServiceEndpoint;
    public const string EndpointModeVariable = EnvironmentVariables.Ec2MetadataServiceEndpointMode;
    public const string V1DisabledVariable = EnvironmentVariables.Ec2MetadataV1Disabled;
    public const string InstanceProfileNameVariable = EnvironmentVariables.Ec2InstanceProfileName;
    public const string TimeoutVariable = EnvironmentVariables.MetadataServiceTimeout;
    public const string AttemptsVariable = EnvironmentVariables.MetadataServiceNumAttempts;

    public const string EndpointProfileKey = "ec2_metadata_service_endpoint";
    public const string EndpointModeProfileKey = "ec2_metadata_service_endpoint_mode";
    public const string V1DisabledProfileKey = "ec2_metadata_v1_disabled";
    public const string InstanceProfileNameProfileKey = "ec2_instance_profile_name";
    public const string TimeoutProfileKey = "metadata_service_timeout";
    public const string AttemptsProfileKey = "metadata_service_num_attempts";

    public const string TokenPath = "/latest/api/token";
    public const string TokenHeader = "X-aws-ec2-metadata-token";
    public const string TokenTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";
    public const string LegacyCredentialsPath = "/latest/meta-data/iam/security-credentials/";
    public const string ExtendedCredentialsPath = "/latest/meta-data/iam/security-credentials-extended/";
    public const string RegionPath = "/latest/meta-data/placement/region";
}
