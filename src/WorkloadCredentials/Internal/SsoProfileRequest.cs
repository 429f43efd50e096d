namespace WorkloadCredentials.Internal;

/// <summary>
/// What a shared config profile with IAM Identity Center (SSO) settings asks of the source that serves them: the profile folder
/// reads the files and fills it, the source that claims it (<see cref="CredentialSourceDefinition.CreateForSsoProfile"/>) turns it
/// into credentials. A value (record equality): the profile's step factory keeps one source per distinct request.
/// </summary>
/// <param name="ProfileName">The profile that holds the <c>sso_*</c> settings.</param>
/// <param name="Location">Where the profile is defined, for messages: <c> (in ...)</c>.</param>
/// <param name="SessionName">The <c>sso_session</c>, or <see langword="null"/> for the legacy form (<c>sso_start_url</c> in the profile).</param>
/// <param name="StartUrl">The <c>sso_start_url</c> (of the session, or of the profile in the legacy form).</param>
/// <param name="Region">The <c>sso_region</c>: where the portal and OIDC are called.</param>
/// <param name="AccountId">The <c>sso_account_id</c>, or <see langword="null"/> (then the profile resolves a token, not credentials).</param>
/// <param name="RoleName">The <c>sso_role_name</c>, or <see langword="null"/>.</param>
/// <param name="HomeDirectory">The home directory whose <c>.aws/sso/cache</c> holds the tokens, or <see langword="null"/> when none is known.</param>
internal sealed record SsoProfileRequest(
    string ProfileName,
    string Location,
    string? SessionName,
    string StartUrl,
    string Region,
    string? AccountId,
    string? RoleName,
    string? HomeDirectory)
{
    /// <summary>Gets the configured portal endpoint (<c>AWS_ENDPOINT_URL_SSO</c>, <c>[services]</c>, ...), unvalidated, or <see langword="null"/>.</summary>
    public string? PortalEndpoint { get; init; }

    /// <summary>Gets which setting gave <see cref="PortalEndpoint"/>, for messages.</summary>
    public string? PortalEndpointOrigin { get; init; }

    /// <summary>Gets the configured OIDC endpoint (<c>AWS_ENDPOINT_URL_SSO_OIDC</c>, <c>[services]</c>, ...), unvalidated, or <see langword="null"/>.</summary>
    public string? OidcEndpoint { get; init; }

    /// <summary>Gets which setting gave <see cref="OidcEndpoint"/>, for messages.</summary>
    public string? OidcEndpointOrigin { get; init; }

    /// <summary>Gets whether the FIPS endpoints are used (<c>AWS_USE_FIPS_ENDPOINT</c>, <c>use_fips_endpoint</c>).</summary>
    public bool UseFips { get; init; }

    /// <summary>Gets whether the dual-stack endpoints are used (<c>AWS_USE_DUALSTACK_ENDPOINT</c>, <c>use_dualstack_endpoint</c>).</summary>
    public bool UseDualStack { get; init; }
}
