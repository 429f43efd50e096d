namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// IAM Identity Center (SSO) settings. Resolved so the chain is described exactly (and the conformance vectors pass), but not
/// executed: SSO needs an interactive <c>aws sso login</c>, which workloads do not have.
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

    public override string Describe() => $"IAM Identity Center (SSO) settings of profile '{ProfileName}'";
}
