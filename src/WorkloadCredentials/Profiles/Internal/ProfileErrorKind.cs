namespace WorkloadCredentials.Profiles.Internal;

/// <summary>Why a profile could not be used. Tests map the SDKs' error texts to these.</summary>
internal enum ProfileErrorKind
{
    /// <summary>A shared config or credentials file does not follow the format.</summary>
    FileFormat,

    /// <summary>A file could not be read (permissions, a directory in its place).</summary>
    FileUnreadable,

    /// <summary>The selected profile does not exist.</summary>
    ProfileNotFound,

    /// <summary>A <c>source_profile</c> names a profile that does not exist.</summary>
    SourceProfileNotFound,

    /// <summary>The <c>source_profile</c> references form a loop.</summary>
    InfiniteLoop,

    /// <summary>The <c>source_profile</c> chain visits more than <see cref="ProfileConstants.MaxChainProfiles"/> profiles.</summary>
    ChainTooLong,

    /// <summary><c>role_arn</c> without <c>source_profile</c> or <c>credential_source</c>.</summary>
    MissingRoleSource,

    /// <summary>Both <c>source_profile</c> and <c>credential_source</c>.</summary>
    ConflictingRoleSource,

    /// <summary><c>credential_source</c> is not Environment, Ec2InstanceMetadata or EcsContainer.</summary>
    InvalidCredentialSource,

    /// <summary><c>aws_secret_access_key</c> without <c>aws_access_key_id</c>.</summary>
    MissingAccessKeyId,

    /// <summary><c>aws_access_key_id</c> without <c>aws_secret_access_key</c>.</summary>
    MissingSecretAccessKey,

    /// <summary>A profile in the chain has no credential settings.</summary>
    NoCredentials,

    /// <summary><c>web_identity_token_file</c> or <c>source_profile</c> without <c>role_arn</c>.</summary>
    MissingRoleArn,

    /// <summary><c>duration_seconds</c> is not a whole number in STS's range.</summary>
    InvalidDurationSeconds,

    /// <summary>A role profile needs an MFA code, which an unattended workload cannot type.</summary>
    MfaNotSupported,

    /// <summary>The <c>sso_*</c> settings are incomplete or contradict their <c>[sso-session]</c>.</summary>
    InvalidSsoConfiguration,

    /// <summary><c>sso_session</c> names a section that does not exist.</summary>
    SsoSessionNotFound,

    /// <summary>An endpoint URL (<c>endpoint_url</c>, <c>AWS_ENDPOINT_URL[_STS]</c>) is not an absolute http(s) URL.</summary>
    InvalidEndpoint,

    /// <summary>The <c>credential_process</c> failed: not started, timed out, nonzero exit, or bad output.</summary>
    CredentialProcessFailed,

    /// <summary>A step of the chain (a base source or a role) is unavailable or failed.</summary>
    StepFailed,
}
