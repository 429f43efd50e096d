using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Profiles;

/// <summary>Names and defaults of the shared config and credentials files, as the AWS SDKs spell them.</summary>
internal static class ProfileConstants
{
    public const string SourceName = "Profile";

    public const string DefaultProfileName = "default";

    public const string ProfileEnvironmentVariable = EnvironmentVariables.Profile;
    public const string ConfigFileEnvironmentVariable = EnvironmentVariables.ConfigFile;
    public const string CredentialsFileEnvironmentVariable = EnvironmentVariables.SharedCredentialsFile;

    public const string AccessKeyId = "aws_access_key_id";
    public const string SecretAccessKey = "aws_secret_access_key";
    public const string SessionToken = "aws_session_token";
    public const string AccountId = "aws_account_id";
    public const string RoleArn = "role_arn";
    public const string SourceProfile = "source_profile";
    public const string CredentialSource = "credential_source";
    public const string ExternalId = "external_id";
    public const string RoleSessionName = "role_session_name";
    public const string DurationSeconds = "duration_seconds";
    public const string MfaSerial = "mfa_serial";
    public const string WebIdentityTokenFile = "web_identity_token_file";
    public const string CredentialProcess = "credential_process";
    public const string Region = "region";
    public const string EndpointUrl = "endpoint_url";
    public const string Services = "services";
    public const string IgnoreConfiguredEndpointUrls = "ignore_configured_endpoint_urls";
    public const string UseFipsEndpoint = "use_fips_endpoint";
    public const string UseDualStackEndpoint = "use_dualstack_endpoint";
    public const string SsoSession = "sso_session";
    public const string SsoAccountId = "sso_account_id";
    public const string SsoRoleName = "sso_role_name";
    public const string SsoRegion = "sso_region";
    public const string SsoStartUrl = "sso_start_url";

    /// <summary>The smallest and largest <c>duration_seconds</c> STS accepts for AssumeRole.</summary>
    public const int MinDurationSeconds = 900;
    public const int MaxDurationSeconds = 43200;

    /// <summary>How long a <c>credential_process</c> may run before it is killed.</summary>
    public static readonly TimeSpan CredentialProcessTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The largest shared config or credentials file read (4 MiB). Hand-written files are a few KiB; the largest real ones are
    /// generated (one SSO profile per account and role, about 150 bytes each), and 4 MiB holds over 25,000 such profiles while
    /// keeping a read to a few tens of MiB of memory and well under a second.
    /// </summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>
    /// The most profiles a <c>source_profile</c> chain may visit (20). Each role in the chain is one STS call made in turn;
    /// real chains have one to three hops, and role chaining caps every session at one hour anyway.
    /// </summary>
    public const int MaxChainProfiles = 20;

    /// <summary>The settings that make a profile a source of credentials (any one of them is enough).</summary>
    public static readonly string[] CredentialSettings =
    [
        AccessKeyId, SecretAccessKey, SessionToken, RoleArn, SourceProfile, CredentialSource, CredentialProcess,
        WebIdentityTokenFile, SsoSession, SsoAccountId, SsoRoleName, SsoStartUrl,
    ];
}
