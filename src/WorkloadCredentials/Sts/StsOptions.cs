namespace WorkloadCredentials.Sts;

/// <summary>
/// Options of the STS client shared by the web identity and assume-role sources: which endpoint it calls and how it retries.
/// </summary>
/// <remarks>
/// The client calls the regional endpoint <c>https://sts.{region}.amazonaws.com</c> of the region in
/// <see cref="WorkloadCredentialsOptions.Region"/> (defaults: <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the EC2 instance's region,
/// then <c>us-east-1</c>). Throttling (<c>Throttling</c>, <c>RequestLimitExceeded</c>), HTTP 5xx, <c>IDPCommunicationError</c>,
/// timeouts and connection errors are retried with exponential backoff and jitter, within <see cref="TotalTimeout"/>.
/// </remarks>
public sealed class StsOptions
{
    /// <summary>Gets or sets the STS endpoint to call instead of the regional one, for example a VPC endpoint or a local emulator.</summary>
    /// <value>The default value is <see langword="null"/>: the regional endpoint.</value>
    /// <remarks>
    /// Wins over the environment variables <c>AWS_ENDPOINT_URL_STS</c> and then <c>AWS_ENDPOINT_URL</c>, which are used when this is not set
    /// (unless <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> is <c>true</c>). Must be an absolute <c>https://</c> URL; plain <c>http://</c>
    /// is accepted only for a loopback host (<c>localhost</c>, <c>127.0.0.1</c>, <c>::1</c>).
    /// </remarks>
    public string? EndpointUrl { get; set; }

    /// <summary>
    /// Gets or sets whether the legacy global endpoint <c>sts.amazonaws.com</c> is used for the regions that used it before regional endpoints
    /// were the default: <c>regional</c> or <c>legacy</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the value of <c>AWS_STS_REGIONAL_ENDPOINTS</c>, else <c>regional</c>.</value>
    public string? RegionalEndpoints { get; set; }

    /// <summary>Gets or sets how long one STS request may take before it is abandoned and retried.</summary>
    /// <value>The default value is 5 seconds.</value>
    /// <remarks>Must lie between 100 milliseconds and 5 minutes, and not exceed <see cref="TotalTimeout"/>.</remarks>
    public TimeSpan AttemptTimeout { get; set; } = StsConstants.DefaultAttemptTimeout;

    /// <summary>Gets or sets how long one credential fetch may spend on STS, retries and backoff included.</summary>
    /// <value>The default value is 30 seconds, well inside the 5-minute refresh window of the shortest-lived credentials.</value>
    /// <remarks>Must lie between 100 milliseconds and 5 minutes.</remarks>
    public TimeSpan TotalTimeout { get; set; } = StsConstants.DefaultTotalTimeout;

    /// <summary>Gets or sets how many times a transient STS failure is retried.</summary>
    /// <value>The default value is 3.</value>
    /// <remarks>Must lie between 0 and 10.</remarks>
    public int MaxRetryAttempts { get; set; } = StsConstants.DefaultMaxRetryAttempts;

    /// <summary>Gets or sets the first retry delay; later delays grow exponentially, with jitter.</summary>
    /// <value>The default value is 500 milliseconds.</value>
    /// <remarks>Must lie between zero and 30 seconds.</remarks>
    public TimeSpan RetryBaseDelay { get; set; } = StsConstants.DefaultRetryBaseDelay;
}
