namespace WorkloadCredentials.Sso.Internal;

/// <summary>Names, limits and windows of the IAM Identity Center (SSO) source, as the AWS SDKs have them.</summary>
internal static class SsoConstants
{
    /// <summary>The source's name in messages, logs and <see cref="AwsCredentials.SourceName"/> of the role credentials.</summary>
    public const string SourceName = "Sso";

    /// <summary>
    /// The largest token cache file read (64 KiB). <c>aws sso login</c> writes well under 4 KiB (a token, a refresh token, a client
    /// secret and a few dates); a larger file is not one of them.
    /// </summary>
    public const int MaxCacheFileBytes = 64 * 1024;

    /// <summary>How close to its expiry an <c>sso_session</c> token is refreshed (15 minutes, botocore's refresh window).</summary>
    public static readonly TimeSpan RefreshWindow = TimeSpan.FromMinutes(15);

    /// <summary>How long one call to the portal or to SSO OIDC may take (no retry: the cache retries later).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
}
