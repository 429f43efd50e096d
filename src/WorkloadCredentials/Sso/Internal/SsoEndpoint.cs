namespace WorkloadCredentials.Sso.Internal;

/// <summary>Where the portal or SSO OIDC is called, and the setting that chose it (for messages and logs).</summary>
internal sealed record SsoEndpoint(Uri Url, string Origin);
