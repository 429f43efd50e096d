namespace WorkloadCredentials.Tests.Conformance.Scenarios;

/// <summary>
/// Per scenario: how the Rust error text maps to our error category and a key phrase of our message, how many unrecorded
/// extended-API requests the IMDS source makes, and where we deliberately differ from smithy-rs (with the reason).
/// A scenario that expects credentials and has no entry must produce exactly the recorded ones.
/// </summary>
internal static class ScenarioExpectations
{
    private const string Chain = SmithyScenario.DefaultChainSuite + "/";
    private const string Profile = SmithyScenario.ProfileProviderSuite + "/";

    /// <summary>The recordings' role; its credentials are asked of the extended API first (unrecorded, answered 404).</summary>
    private static readonly string[] ExtendedProbeForRecordedRole = [ScenarioReplayHandler.ExtendedApiPrefix + "imds-assume-role-test"];

    /// <summary>
    /// Why a configured profile stops the chain: the issue and DESIGN.md require that a profile which is named or configured but
    /// cannot produce credentials is an error naming the file, the profile and the key, never a fall-through to another identity.
    /// </summary>
    private const string ProfileNeverFallsThrough =
        "smithy-rs reports the profile's credential_source as 'not enabled'; we report a failed (not unavailable) profile naming the "
        + "profile, the file and the line, because a configured profile never falls through to another identity (issue 5, DESIGN.md).";

    private static readonly Dictionary<string, ScenarioExpectation> Entries = new(StringComparer.Ordinal)
    {
        // --- default-credential-provider-chain/ ---
        [Chain + "eks_pod_identity_no_token_file"] = new()
        {
            // Rust: "No such file or directory (os error 2)". Configured container source whose token file is missing: the chain stops.
            Category = ErrorCategory.Failed,
            Phrase = "named by AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE does not exist",
        },
        [Chain + "imds_assume_role"] = new() { ExtendedApiProbes = ExtendedProbeForRecordedRole },
        [Chain + "imds_config_with_no_creds"] = new() { ExtendedApiProbes = ExtendedProbeForRecordedRole, SourceName = "InstanceMetadata" },
        [Chain + "imds_default_chain_error"] = new()
        {
            // Rust: "the credential provider was not enabled". No role attached: every source unavailable.
            Category = ErrorCategory.Unavailable,
            Phrase = "InstanceMetadata: the instance metadata service at http://169.254.169.254 lists no IAM role",
        },
        [Chain + "imds_default_chain_retries"] = new() { ExtendedApiProbes = ExtendedProbeForRecordedRole, SourceName = "InstanceMetadata", MinimumBackoffSleeps = 3 },
        [Chain + "imds_default_chain_success"] = new() { ExtendedApiProbes = ExtendedProbeForRecordedRole, SourceName = "InstanceMetadata" },
        [Chain + "imds_disabled"] = new()
        {
            // Rust: "the credential provider was not enabled".
            Category = ErrorCategory.Unavailable,
            Phrase = "InstanceMetadata: skipped because AWS_EC2_METADATA_DISABLED is true",
        },
        [Chain + "imds_no_iam_role"] = new()
        {
            // Rust: "the credential provider was not enabled". The default profile's credential_source = Ec2InstanceMetadata finds no role.
            Category = ErrorCategory.Failed,
            Phrase = "credential_source Ec2InstanceMetadata of profile 'default'",
            Recoverable = true,
            Difference = ProfileNeverFallsThrough,
        },
        [Chain + "imds_token_fail"] = new()
        {
            // Rust: "request forbidden: IMDS is disabled". We fall back to IMDSv1 instead: the role listing is asked without a token
            // (appended below, answered 404 as an instance without a role answers), so the profile's credential_source fails.
            Category = ErrorCategory.Failed,
            Phrase = "credential_source Ec2InstanceMetadata of profile 'default'",
            Appendix =
            [
                Appended("http://169.254.169.254/latest/meta-data/iam/security-credentials/", System.Net.HttpStatusCode.NotFound),
            ],
            Difference =
                "a 403 to the IMDSv2 token PUT makes smithy-rs (and aws-sdk-net v4) treat IMDS as disabled; we fall back to IMDSv1 on "
                + "403/404/405, as botocore and aws-sdk-go-v2 do, because IMDS proxies (kube2iam, kiam) answer the token PUT so "
                + "(ImdsCredentialOptions.DisableV1Fallback / AWS_EC2_METADATA_V1_DISABLED turn the fallback off). The requests after "
                + "the recording carry no token.",
        },
        [Chain + "profile_overrides_web_identity"] = new()
        {
            // Rust: "provider was not enabled". The point: the profile (role_arn + credential_source = Environment) wins over the
            // web identity variables, which are never used (no STS request, the token file is never read).
            Category = ErrorCategory.Failed,
            Phrase = "credential_source Environment of profile 'A'",
            Difference = ProfileNeverFallsThrough,
        },
        [Chain + "web_identity_source_profile_no_env"] = new()
        {
            // Rust: "`web_identity_token_file` was specified but `role_arn` was missing".
            Category = ErrorCategory.Failed,
            Phrase = "profile 'B' sets web_identity_token_file",
            Recoverable = false,
        },
        [Chain + "web_identity_token_invalid_jwt"] = new()
        {
            // Rust: "InvalidIdentityTokenException: No OpenIDConnect provider found in your account".
            Category = ErrorCategory.Failed,
            Phrase = "InvalidIdentityToken: No OpenIDConnect provider found in your account",
            Recoverable = false,
        },

        [Chain + "sso_no_token_file"] = new()
        {
            // Rust: "failed to read `/home/.aws/sso/cache/dace00cba5f8355ec9d274ceb2bcebdfbeed0e12.json`: No such file or directory".
            // The profile is configured: its missing token stops the chain, naming the file and the sign-in command.
            Category = ErrorCategory.Failed,
            Phrase = "dace00cba5f8355ec9d274ceb2bcebdfbeed0e12.json does not exist",
            SecondPhrase = "Run `aws sso login --profile sso-test`",
            Recoverable = false,
        },
        [Chain + "sso_server_error"] = new()
        {
            // Rust: "an error occurred while loading credentials". The portal's 503 is a failure that a later refresh may cure.
            Category = ErrorCategory.Failed,
            Phrase = "an error occurred while loading credentials",
            SecondPhrase = "HTTP 503",
            Recoverable = true,
        },

        // --- profile-provider/ ---
        [Profile + "invalid_sso_credentials_config"] = new()
        {
            // Rust: "selected profile will resolve an access token instead of credentials" (no sso_account_id, no sso_role_name).
            Category = ErrorCategory.Failed,
            Phrase = "selected profile will resolve an access token instead of credentials",
            Recoverable = false,
        },
        [Profile + "sso_token"] = new()
        {
            // Rust: the same; this one is an AWS Builder ID profile meant for the token provider chain.
            Category = ErrorCategory.Failed,
            Phrase = "selected profile will resolve an access token instead of credentials",
            SecondPhrase = "Add sso_account_id and sso_role_name to profile 'default'",
            Recoverable = false,
        },
        [Profile + "credential_process_failure"] = new()
        {
            // Rust: "... external process exited with code exit status: 1".
            Category = ErrorCategory.Failed,
            Phrase = "the credential_process of profile 'default'",
            SecondPhrase = "external process exited with code 1",
        },
        [Profile + "credential_process_invalid"] = new()
        {
            // Rust: "Error retrieving credentials from external process, could not parse response: invalid JSON in response".
            Category = ErrorCategory.Failed,
            Phrase = "the credential_process of profile 'default'",
            SecondPhrase = "could not parse response: invalid JSON in response",
        },
        [Profile + "empty_config"] = new()
        {
            // Rust: "the credential provider was not enabled".
            Category = ErrorCategory.Unavailable,
            Phrase = "Profile: no default profile in",
        },
        [Profile + "retry_on_error"] = new() { MinimumBackoffSleeps = 1 },
        [Profile + "invalid_config"] = new()
        {
            // Rust: "could not parse profile file".
            Category = ErrorCategory.Failed,
            Phrase = "could not parse profile file",
            Recoverable = false,
        },
    };

    public static ScenarioExpectation For(SmithyScenario scenario)
    {
        if (Entries.TryGetValue(scenario.Id, out ScenarioExpectation? entry))
        {
            return entry.Credentials is null && entry.Category == ErrorCategory.None && scenario.Expected is not null
                ? entry with { Credentials = scenario.Expected }
                : entry;
        }

        return new ScenarioExpectation { Credentials = scenario.Expected };
    }

    /// <summary>A request we send after the recording, with its answer; it must carry no IMDS token (IMDSv1).</summary>
    private static RecordedExchange Appended(string uri, System.Net.HttpStatusCode status, string body = "") =>
        new(-1, "GET", new Uri(uri, UriKind.Absolute), new Dictionary<string, IReadOnlyList<string>>(), status, new Dictionary<string, IReadOnlyList<string>>(), body);
}
