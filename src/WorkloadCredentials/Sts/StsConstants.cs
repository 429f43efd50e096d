using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Sts;

/// <summary>Defaults and names shared by the STS client, the web identity and the assume-role sources.</summary>
internal static class StsConstants
{
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultTotalTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxRetryBaseDelay = TimeSpan.FromSeconds(30);
    public const int DefaultMaxRetryAttempts = 3;
    public const int MaxMaxRetryAttempts = 10;

    /// <summary>The region used when none is configured, as the AWS SDKs do for STS.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>The default session length for both sources.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinDuration = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(12);

    /// <summary>STS caps sessions obtained by role chaining at one hour.</summary>
    public static readonly TimeSpan RoleChainingMaxDuration = TimeSpan.FromHours(1);

    public const string WebIdentitySourceName = "WebIdentity";
    public const string AssumeRoleSourceName = "AssumeRole";

    public const string EnvRegion = EnvironmentVariables.Region;
    public const string EnvDefaultRegion = EnvironmentVariables.DefaultRegion;
    public const string EnvEndpointUrlSts = EnvironmentVariables.EndpointUrlSts;
    public const string EnvEndpointUrl = EnvironmentVariables.EndpointUrl;
    public const string EnvIgnoreConfiguredEndpointUrls = EnvironmentVariables.IgnoreConfiguredEndpointUrls;
    public const string EnvStsRegionalEndpoints = EnvironmentVariables.StsRegionalEndpoints;
    public const string EnvUseFipsEndpoint = EnvironmentVariables.UseFipsEndpoint;
    public const string EnvUseDualStackEndpoint = EnvironmentVariables.UseDualStackEndpoint;
    public const string EnvRoleArn = EnvironmentVariables.RoleArn;
    public const string EnvWebIdentityTokenFile = EnvironmentVariables.WebIdentityTokenFile;
    public const string EnvRoleSessionName = EnvironmentVariables.RoleSessionName;

    /// <summary>The configuration section the option names in messages start with unless the options were bound from another one.</summary>
    public const string DefaultOptionsRoot = "AWS";

    public const string OptionRegion = "AWS:Region";
    public const string OptionEndpointUrl = "AWS:Sts:EndpointUrl";
    public const string OptionRegionalEndpoints = "AWS:Sts:RegionalEndpoints";

    /// <summary>The regions that used the global endpoint <c>sts.amazonaws.com</c> when <c>AWS_STS_REGIONAL_ENDPOINTS=legacy</c>.</summary>
    public static readonly IReadOnlySet<string> LegacyGlobalRegions = new HashSet<string>(StringComparer.Ordinal)
    {
        "aws-global", "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-north-1",
        "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    };
}
