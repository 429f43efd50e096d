using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Sso.Internal;

/// <summary>
/// IAM Identity Center (SSO): role credentials from <c>GetRoleCredentials</c> with the token <c>aws sso login</c> cached. Only a shared
/// config profile reaches it (<c>sso_session</c>, or the legacy <c>sso_start_url</c> form): it has no link of its own in the default
/// chain, so it sits where the profile does, after the environment's web identity for a profile without a role, as in botocore.
/// </summary>
internal sealed class SsoSourceDefinition : CredentialSourceDefinition
{
    public static SsoSourceDefinition Instance { get; } = new();

    public override string Name => SsoConstants.SourceName;

    /// <summary>Gets a place between web identity and the container, for the record: the source is reached through the profile.</summary>
    public override int ChainOrder => 450;

    public override bool IsChainLink => false;

    /// <summary>Gets a value indicating that the portal's credentials are a role session: a <c>role_arn</c> on top is role chaining.</summary>
    public override bool IssuesRoleCredentials => true;

    /// <summary>Unavailable: SSO settings live in a shared config profile, which the profile source reads.</summary>
    public override IAwsCredentialSource Create(SourceBuildContext build) =>
        FailedCredentialSource.Unavailable(
            "Sso: IAM Identity Center credentials come from a shared config profile (sso_session with sso_account_id and sso_role_name); select such a profile (AWS_PROFILE) and use the profile source.",
            Name);

    public override IAwsCredentialSource? CreateForSsoProfile(SourceBuildContext build, SsoProfileRequest request) =>
        new SsoCredentialSource(build.Context, request);
}
