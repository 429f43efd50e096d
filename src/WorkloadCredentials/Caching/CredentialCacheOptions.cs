using System.ComponentModel.DataAnnotations;

namespace WorkloadCredentials.Caching;

/// <summary>Options of the refresh cache that stands in front of every source.</summary>
public sealed class CredentialCacheOptions
{
    /// <summary>
    /// Gets or sets how long before expiry a background refresh starts (the advisory window, the AWS SDKs' <c>PreemptExpiryTime</c>).
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: the window follows the credential lifetime as the AWS SDKs' refresh spec says
    /// (lifetime up to 20 minutes: 5 minutes; below 90 minutes: 15 minutes; 90 minutes and more: 60 minutes).
    /// </value>
    /// <remarks>Must lie between zero and 12 hours.</remarks>
    public TimeSpan? RefreshBeforeExpiry { get; set; }

    /// <summary>
    /// Gets or sets how far into the advisory window each cache may move its refresh point at random, as a fraction of the window,
    /// so that a fleet started together does not refresh together.
    /// </summary>
    /// <value>The default value is 0.5.</value>
    [Range(0.0, 1.0)]
    public double RefreshJitter { get; set; } = CachingConstants.DefaultRefreshJitter;

    /// <summary>
    /// Gets or sets the total time a refresh may take, retries included. A source that has not answered by then counts as failed
    /// (cached credentials keep being served), so one stuck source never holds the refresh, and no caller waits longer than this.
    /// </summary>
    /// <value>The default value is 2 minutes: more than a <c>credential_process</c> may run (1 minute) and than STS takes with its retries.</value>
    /// <remarks>Must lie between 1 second and 1 hour.</remarks>
    public TimeSpan RefreshTimeout { get; set; } = CachingConstants.DefaultRefreshTimeout;
}
