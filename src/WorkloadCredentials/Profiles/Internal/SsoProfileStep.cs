namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// IAM Identity Center (SSO) settings: <c>sso_session</c> (its <c>[sso-session]</c> section gives the start URL and region) or the
/// legacy <c>sso_start_url</c> and <c>sso_region</c> in the profile, with <c>sso_account_id</c> and <c>sso_role_name</c>. Run by the
/// source that serves <see cref="WorkloadCredentials.Internal.SsoProfileRequest"/> with the token <c>aws sso login</c> cached.
/// </summary>
internal sealed class SsoProfileStep : ProfileBaseStep
{
    public SsoProfileStep(
        string profileName, string location, string? sessionName, string? accountId, string? roleName, string? region, string? startUrl)
        : base(profileName, location)
    {
        SessionName = sessionName;
        AccountId = accountId;
        RoleName = roleName;
        Region = region;
        StartUrl = startUrl;
    }

    public string? SessionName { get; }

    public string? AccountId { get; }

    public string? RoleName { get; }

    public string? Region { get; }

    public string? StartUrl { get; }

    /// <summary>Names the profile first (messages start with it), then the session or start URL, the account and the role; none is a secret.</summary>
    public override string Describe()
    {
        string session = SessionName is not null ? $"sso-session '{SessionName}'" : $"start URL {StartUrl ?? "(none)"}";
        return $"IAM Identity Center (SSO) settings of profile '{ProfileName}' ({session}, account {AccountId ?? "(none)"}, role {RoleName ?? "(none)"})";
    }
}
