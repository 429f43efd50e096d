namespace WorkloadCredentials.InstanceMetadata;

/// <summary>Options of the EC2 instance metadata (IMDS) source: the instance profile's credentials and the instance's region.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>IMDSv2 is used (a session token from <c>PUT /latest/api/token</c>, reused until shortly before it expires). When the token
/// request answers 403, 404 or 405 or times out (kube2iam/kiam proxies, a hop limit of 1) the request falls back to IMDSv1 unless
/// <see cref="DisableV1Fallback"/> is set. IMDSv1 is then used for five minutes before IMDSv2 is tried again.</description></item>
/// <item><description>Until the service has answered once, each request may take only <see cref="FirstContactTimeout"/> and is not retried, so a
/// machine without instance metadata learns it within about a second. After that, <see cref="Timeout"/> and <see cref="MaxRetryAttempts"/> apply.</description></item>
/// <item><description>Every property left unset falls back to the environment variable its documentation names, then to the shared config profile key.</description></item>
/// </list>
/// </remarks>
public sealed class ImdsCredentialOptions
{
    /// <summary>Gets or sets a value indicating whether the instance metadata source is turned off.</summary>
    /// <remarks>Defaults to <c>AWS_EC2_METADATA_DISABLED</c> (<c>true</c> in any casing turns it off), then <see langword="false"/>.</remarks>
    public bool? Disabled { get; set; }

    /// <summary>Gets or sets the endpoint of the instance metadata service, such as <c>http://169.254.169.254</c>.</summary>
    /// <remarks>
    /// Defaults to <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>, then the profile's <c>ec2_metadata_service_endpoint</c>, then the
    /// address <see cref="EndpointMode"/> selects. An endpoint wins over any mode.
    /// </remarks>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets which default address to use when no <see cref="Endpoint"/> is given.</summary>
    /// <remarks>
    /// Defaults to <c>AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE</c> (<c>IPv4</c> or <c>IPv6</c>, any casing), then the profile's
    /// <c>ec2_metadata_service_endpoint_mode</c>, then <see cref="ImdsEndpointMode.IPv4"/>.
    /// </remarks>
    public ImdsEndpointMode? EndpointMode { get; set; }

    /// <summary>Gets or sets a value indicating whether IMDSv1 (requests without a session token) is never used.</summary>
    /// <remarks>Defaults to <c>AWS_EC2_METADATA_V1_DISABLED</c>, then the profile's <c>ec2_metadata_v1_disabled</c>, then <see langword="false"/>.</remarks>
    public bool? DisableV1Fallback { get; set; }

    /// <summary>Gets or sets the instance profile (role) name, which skips role discovery.</summary>
    /// <remarks>Defaults to <c>AWS_EC2_INSTANCE_PROFILE_NAME</c>, then the profile's <c>ec2_instance_profile_name</c>, then the role IMDS lists.</remarks>
    public string? InstanceProfileName { get; set; }

    /// <summary>Gets or sets how long one request may take once the service has answered before.</summary>
    /// <value>The default value is 2 seconds.</value>
    /// <remarks>Defaults to <c>AWS_METADATA_SERVICE_TIMEOUT</c> (seconds), then the profile's <c>metadata_service_timeout</c>, then 2 seconds.</remarks>
    /// <remarks>Must lie between 10 milliseconds and 1 minute.</remarks>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// Gets or sets how long one request may take while the service has never answered. Requests that get no answer are not retried
    /// then, unless the number of attempts is set explicitly (<see cref="MaxRetryAttempts"/>, <c>AWS_METADATA_SERVICE_NUM_ATTEMPTS</c>
    /// or the profile's <c>metadata_service_num_attempts</c>).
    /// </summary>
    /// <value>
    /// The default value is 500 milliseconds, or <see cref="Timeout"/> (from options, <c>AWS_METADATA_SERVICE_TIMEOUT</c> or the profile) when
    /// that is set: a machine without instance metadata gives up after at most twice this (the token request, then the IMDSv1 fallback).
    /// </value>
    /// <remarks>Must lie between 10 milliseconds and 30 seconds.</remarks>
    public TimeSpan? FirstContactTimeout { get; set; }

    /// <summary>Gets or sets how many times a failed request (connection error, timeout, 5xx, 429) is retried once the service has answered before.</summary>
    /// <value>The default value is 2 (three attempts in all).</value>
    /// <remarks>Defaults to <c>AWS_METADATA_SERVICE_NUM_ATTEMPTS</c> minus one, then the profile's <c>metadata_service_num_attempts</c> minus one, then 2.</remarks>
    public int? MaxRetryAttempts { get; set; }

    /// <summary>Gets or sets the lifetime requested for IMDSv2 session tokens. A token is reused until shortly before it expires.</summary>
    /// <value>The default value is 6 hours, the most IMDS allows.</value>
    /// <remarks>Must lie between 1 second and 6 hours.</remarks>
    public TimeSpan TokenTtl { get; set; } = ImdsConstants.DefaultTokenTtl;
}
