using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Builds the sources a profile chain delegates to: the built-in environment, instance metadata and container sources for
/// <c>credential_source</c>, and the STS-backed web identity and assume-role sources. The profile source asks for them at
/// every fetch (each returned source fetches; the factory builds each source once and caches no credentials) and wraps their errors with the profile, key and file.
/// </summary>
internal interface IProfileStepFactory
{
    /// <summary>
    /// <c>credential_source</c>: the built-in source named by <paramref name="kind"/> (environment keys, instance metadata, container
    /// credentials), built once and reused at every refresh.
    /// </summary>
    IAwsCredentialSource CreateCredentialSource(ProfileCredentialSourceKind kind);

    /// <summary><c>role_arn</c> + <c>web_identity_token_file</c>: a web identity source.</summary>
    IAwsCredentialSource CreateWebIdentity(ProfileWebIdentityRequest request);

    /// <summary><c>sso_session</c> or <c>sso_start_url</c> with <c>sso_account_id</c> and <c>sso_role_name</c>: an IAM Identity Center source.</summary>
    IAwsCredentialSource CreateSso(SsoProfileRequest request);

    /// <summary>A role to assume with the credentials <paramref name="source"/> returns.</summary>
    IAwsCredentialSource CreateAssumeRole(IAwsCredentialSource source, ProfileAssumeRoleRequest request);
}
