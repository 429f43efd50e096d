namespace WorkloadCredentials.Tool.Internal;

/// <summary>The selected shared-config profile and its plan, for <c>describe</c>. No secrets.</summary>
/// <param name="Name">The profile's name.</param>
/// <param name="Origin">How it was named: by <c>--profile</c>, by <c>AWS_PROFILE</c>, or the default.</param>
/// <param name="Chain">The plan, e.g. <c>static keys AKIA1234*** of profile 'base' -&gt; assume role arn:... of profile 'dev'</c>.</param>
/// <param name="ConfigFile">The shared config file read, or <see langword="null"/> when none is known.</param>
/// <param name="CredentialsFile">The shared credentials file read, or <see langword="null"/> when none is known.</param>
/// <param name="SsoTokenExpiration">When the cached IAM Identity Center token of an SSO profile expires, or <see langword="null"/>.</param>
/// <param name="SsoTokenExpiresInSeconds">Seconds from now to <paramref name="SsoTokenExpiration"/> (negative once expired).</param>
internal sealed record ProfileSummary(
    string Name, string Origin, string Chain, string? ConfigFile, string? CredentialsFile, DateTimeOffset? SsoTokenExpiration, long? SsoTokenExpiresInSeconds);
