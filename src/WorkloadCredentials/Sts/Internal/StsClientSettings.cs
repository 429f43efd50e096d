namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// The validated, plain settings the STS client is built from. Build them with <see cref="StsSettingsResolver"/> from options and
/// the environment, or directly (the profile source passes a profile's <c>region</c>, <c>endpoint_url</c>, <c>sts_regional_endpoints</c>).
/// </summary>
internal sealed record StsClientSettings
{
    /// <summary>Gets the region named by configuration, and the setting that named it; null when none did (then hints and us-east-1).</summary>
    public string? Region { get; init; }

    public string RegionOrigin { get; init; } = StsConstants.OptionRegion;

    /// <summary>Gets an endpoint override, already validated.</summary>
    public Uri? EndpointUrl { get; init; }

    public string EndpointOrigin { get; init; } = StsConstants.OptionEndpointUrl;

    /// <summary>Gets whether the legacy global endpoint is used for the legacy regions.</summary>
    public bool LegacyGlobalEndpoint { get; init; }

    /// <summary>Gets whether configuration (options or <c>AWS_STS_REGIONAL_ENDPOINTS</c>) chose regional or legacy.</summary>
    public bool RegionalEndpointsConfigured { get; init; }

    /// <summary>Gets whether <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> is set, which also mutes a profile's <c>endpoint_url</c>.</summary>
    public bool IgnoreConfiguredEndpointUrls { get; init; }

    public bool UseFips { get; init; }

    public bool UseDualStack { get; init; }

    public TimeSpan AttemptTimeout { get; init; } = StsConstants.DefaultAttemptTimeout;

    public TimeSpan TotalTimeout { get; init; } = StsConstants.DefaultTotalTimeout;

    public int MaxRetryAttempts { get; init; } = StsConstants.DefaultMaxRetryAttempts;

    public TimeSpan RetryBaseDelay { get; init; } = StsConstants.DefaultRetryBaseDelay;
}
