using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Container;

/// <summary>Defaults, environment variables and allowed hosts of the container credentials source.</summary>
internal static class ContainerConstants
{
    public const string SourceName = "Container";

    public const string Troubleshooting = "See docs/container.md#troubleshooting.";

    public const string RelativeUriVariable = EnvironmentVariables.ContainerCredentialsRelativeUri;
    public const string FullUriVariable = EnvironmentVariables.ContainerCredentialsFullUri;
    public const string AuthorizationTokenFileVariable = EnvironmentVariables.ContainerAuthorizationTokenFile;
    public const string AuthorizationTokenVariable = EnvironmentVariables.ContainerAuthorizationToken;

    /// <summary>The ECS agent's credentials host, which relative URIs are resolved against.</summary>
    public const string EcsHost = "169.254.170.2";

    /// <summary>The EKS Pod Identity agent's IPv4 host.</summary>
    public const string EksHostIPv4 = "169.254.170.23";

    /// <summary>The EKS Pod Identity agent's IPv6 host.</summary>
    public const string EksHostIPv6 = "fd00:ec2::23";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);
    public const int DefaultMaxRetryAttempts = 2;
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(2);
    public const string RetryStrategyName = "ContainerRetry";

    /// <summary>The largest authorization token file read.</summary>
    public const int MaxTokenFileBytes = 16 * 1024;
}
