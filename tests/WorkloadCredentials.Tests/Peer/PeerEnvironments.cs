namespace WorkloadCredentials.Tests.Peer;

/// <summary>
/// The environments of the peer comparison. Each names the path botocore takes (its <see cref="PeerEnvironment.Expected"/>
/// outcome is computed with the fake's issuing rule, so it names role, caller, External ID, token and duration); failure
/// environments keep instance metadata reachable so that a fall-through would show as IMDS keys.
/// </summary>
internal static partial class PeerEnvironments
{
    public const string RoleA = "arn:aws:iam::123456789012:role/peer-role-a";
    public const string RoleB = "arn:aws:iam::123456789012:role/peer-role-b";
    public const string RoleWeb = "arn:aws:iam::123456789012:role/peer-web-role";
    public const string EnvWebToken = "peer-web-identity-token-from-environment";
    public const string ProfileWebToken = "peer-web-identity-token-from-profile";
    public const string ContainerAuthorization = "peer-container-authorization-token";
    public const string ContainerAuthorizationFromFile = "peer-container-authorization-from-file";
    public const string ExternalId = "peer-external-id-7";

    public static readonly PeerCredentials EnvKeys = new("AKIAPEERENVIRONMENT1", "peer-environment-secret-00000000000000001", null);
    public static readonly PeerCredentials EnvSessionKeys = new("ASIAPEERENVIRONMENT2", "peer-environment-secret-00000000000000002", "peer-environment-session-token");
    public static readonly PeerCredentials ProfileKeys = new("AKIAPEERPROFILEKEYS1", "peer-profile-secret-000000000000000000001", null);
    public static readonly PeerCredentials ProfileSessionKeys = new("ASIAPEERPROFILETOKN1", "peer-profile-secret-000000000000000000002", "peer-profile-session-token");
    public static readonly PeerCredentials ConfigKeys = new("AKIAPEERCONFIGKEYS01", "peer-config-secret-0000000000000000000001", null);
    public static readonly PeerCredentials NamedKeys = new("AKIAPEERNAMEDPROFIL1", "peer-named-secret-00000000000000000000001", null);
    public static readonly PeerCredentials SourceKeys = new("AKIAPEERSOURCEKEYS01", "peer-source-secret-0000000000000000000001", null);
    public static readonly PeerCredentials ProcessKeys = new("ASIAPEERPROCESSKEYS1", "peer-process-secret-000000000000000000001", "peer-process-session-token");

    private static readonly PeerCredentials ImdsKeys = PeerKeys.Imds(PeerFakeServer.ImdsRole);

    public static IReadOnlyList<PeerEnvironment> All { get; } = [.. Sources(), .. Precedence(), .. FallThrough(), .. Settings(), .. Chains(), .. Sso(), .. Failures(), .. Faults()];

    private static IEnumerable<PeerEnvironment> Sources()
    {
        yield return new()
        {
            Name = "source: environment keys",
            Category = PeerCategory.Source,
            Variables = Env(EnvKeys),
            Expected = PeerOutcome.Keys(EnvKeys, "environment"),
        };
        yield return new()
        {
            Name = "source: environment keys with a session token",
            Category = PeerCategory.Source,
            Variables = Env(EnvSessionKeys),
            Expected = PeerOutcome.Keys(EnvSessionKeys, "environment"),
        };
        yield return new()
        {
            Name = "source: default profile in the credentials file",
            Category = PeerCategory.Source,
            Credentials = Keys("default", ProfileKeys),
            Expected = PeerOutcome.Keys(ProfileKeys, "credentials file"),
        };
        yield return new()
        {
            Name = "source: default profile in the config file",
            Category = PeerCategory.Source,
            Config = Keys("default", ConfigKeys),
            Expected = PeerOutcome.Keys(ConfigKeys, "config file"),
        };
        yield return new()
        {
            Name = "source: AWS_PROFILE selects a named profile",
            Category = PeerCategory.Source,
            Credentials = Keys("default", ProfileKeys) + Keys("named", NamedKeys),
            Variables = new Dictionary<string, string?> { ["AWS_PROFILE"] = "named" },
            Expected = PeerOutcome.Keys(NamedKeys, "named profile"),
        };
        yield return new()
        {
            Name = "source: default profile with aws_session_token",
            Category = PeerCategory.Source,
            Credentials = Keys("default", ProfileSessionKeys),
            Expected = PeerOutcome.Keys(ProfileSessionKeys, "credentials file"),
        };
        yield return new()
        {
            Name = "source: credential_process",
            Category = PeerCategory.Source,
            Config = "[default]\ncredential_process = cat {home}/process.json\n",
            Files = ProcessFile(),
            Expected = PeerOutcome.Keys(ProcessKeys, "credential_process"),
        };
        yield return new()
        {
            Name = "source: web identity from the environment",
            Category = PeerCategory.Source,
            Variables = EnvWebIdentity(),
            Files = EnvWebTokenFile(),
            Expected = PeerOutcome.Keys(PeerKeys.WebIdentity(RoleWeb, EnvWebToken), "AssumeRoleWithWebIdentity"),
        };
        yield return new()
        {
            Name = "source: web identity from the environment with AWS_ROLE_SESSION_NAME",
            Category = PeerCategory.Source,
            Variables = new Dictionary<string, string?>(EnvWebIdentity()) { ["AWS_ROLE_SESSION_NAME"] = "peer-session-environment" },
            Files = EnvWebTokenFile(),
            Expected = PeerOutcome.Keys(PeerKeys.WebIdentity(RoleWeb, EnvWebToken, "peer-session-environment"), "AssumeRoleWithWebIdentity"),
        };
        yield return new()
        {
            Name = "source: web identity from the profile",
            Category = PeerCategory.Source,
            Config = $"[default]\nrole_arn = {RoleA}\nweb_identity_token_file = {{home}}/profile-token\n",
            Files = ProfileWebTokenFile(),
            Expected = PeerOutcome.Keys(PeerKeys.WebIdentity(RoleA, ProfileWebToken), "AssumeRoleWithWebIdentity"),
        };
        yield return new()
        {
            Name = "source: container with AWS_CONTAINER_AUTHORIZATION_TOKEN",
            Category = PeerCategory.Source,
            Variables = Container(),
            Expected = PeerOutcome.Keys(PeerKeys.Container(ContainerAuthorization), "container"),
        };
        yield return new()
        {
            Name = "source: container with AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            Category = PeerCategory.Source,
            Variables = new Dictionary<string, string?>
            {
                ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "{endpoint}" + PeerFakeServer.ContainerPath,
                ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "{home}/container-token",
            },
            Files = new Dictionary<string, string> { ["container-token"] = ContainerAuthorizationFromFile },
            Expected = PeerOutcome.Keys(PeerKeys.Container(ContainerAuthorizationFromFile), "container"),
        };
        yield return new()
        {
            Name = "source: container without authorization",
            Category = PeerCategory.Source,
            Variables = new Dictionary<string, string?> { ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "{endpoint}" + PeerFakeServer.ContainerPath },
            Expected = PeerOutcome.Keys(PeerKeys.Container(null), "container"),
        };
        yield return new()
        {
            Name = "source: instance metadata (IMDSv2)",
            Category = PeerCategory.Source,
            Imds = true,
            Expected = PeerOutcome.Keys(ImdsKeys, "instance metadata"),
        };
        yield return new()
        {
            Name = "source: nothing configured",
            Category = PeerCategory.Source,
            Expected = PeerOutcome.Failure("no source is configured and instance metadata is disabled"),
        };
    }

    private static IEnumerable<PeerEnvironment> Precedence()
    {
        yield return new()
        {
            Name = "precedence: environment keys over the default profile",
            Category = PeerCategory.Precedence,
            Variables = Env(EnvKeys),
            Credentials = Keys("default", ProfileKeys),
            Expected = PeerOutcome.Keys(EnvKeys, "environment"),
        };
        yield return new()
        {
            Name = "precedence: environment keys over environment web identity",
            Category = PeerCategory.Precedence,
            Variables = Merge(Env(EnvKeys), EnvWebIdentity()),
            Files = EnvWebTokenFile(),
            Expected = PeerOutcome.Keys(EnvKeys, "environment"),
        };
        yield return new()
        {
            Name = "precedence: environment keys over container",
            Category = PeerCategory.Precedence,
            Variables = Merge(Env(EnvKeys), Container()),
            Expected = PeerOutcome.Keys(EnvKeys, "environment"),
        };
        yield return new()
        {
            Name = "precedence: environment keys over instance metadata",
            Category = PeerCategory.Precedence,
            Variables = Env(EnvKeys),
            Imds = true,
            Expected = PeerOutcome.Keys(EnvKeys, "environment"),
        };
        yield return new PeerEnvironment
        {
            Name = "precedence: environment web identity over default profile static keys",
            Category = PeerCategory.Precedence,
            Variables = EnvWebIdentity(),
            Files = EnvWebTokenFile(),
            Credentials = Keys("default", ProfileKeys),
            Expected = PeerOutcome.Keys(PeerKeys.WebIdentity(RoleWeb, EnvWebToken), "AssumeRoleWithWebIdentity"),
        };
        yield return new PeerEnvironment
        {
            Name = "precedence: environment web identity over default profile credential_process",
            Category = PeerCategory.Precedence,
            Variables = EnvWebIdentity(),
            Files = Merge(EnvWebTokenFile(), ProcessFile()),
            Config = "[default]\ncredential_process = cat {home}/process.json\n",
            Expected = PeerOutcome.Keys(PeerKeys.WebIdentity(RoleWeb, EnvWebToken), "AssumeRoleWithWebIdentity"),
        };
        yield return new()
        {
            Name = "precedence: default profile role over environment web identity",
            Category = PeerCategory.Precedence,
            Variables = EnvWebIdentity(),
            Files = EnvWebTokenFile(),
            Config = $"[default]\nrole_arn = {RoleA}\nsource_profile = base\n",
            Credentials = Keys("base", SourceKeys),
            Expected = PeerOutcome.Keys(PeerKeys.AssumeRole(RoleA, SourceKeys), "AssumeRole"),
        };
        yield return new()
        {
            Name = "precedence: environment web identity over container",
            Category = PeerCategory.Precedence,
            Variables = Merge(EnvWebIdentity(), Container()),
            Files = EnvWebTokenFile(),
            Expected = PeerOutcome.Keys(PeerKeys.WebIdentity(RoleWeb, EnvWebToken), "AssumeRoleWithWebIdentity"),
        };
        yield return new()
        {
            Name = "precedence: environment web identity over instance metadata",
            Category = PeerCategory.Precedence,
            Variables = EnvWebIdentity(),
            Files = EnvWebTokenFile(),
            Imds = true,
            Expected = PeerOutcome.Keys(PeerKeys.WebIdentity(RoleWeb, EnvWebToken), "AssumeRoleWithWebIdentity"),
        };
        yield return new()
        {
            Name = "precedence: container over instance metadata",
            Category = PeerCategory.Precedence,
            Variables = Container(),
            Imds = true,
            Expected = PeerOutcome.Keys(PeerKeys.Container(ContainerAuthorization), "container"),
        };
        yield return new()
        {
            Name = "precedence: default profile over container",
            Category = PeerCategory.Precedence,
            Variables = Container(),
            Credentials = Keys("default", ProfileKeys),
            Expected = PeerOutcome.Keys(ProfileKeys, "credentials file"),
        };
        yield return new()
        {
            Name = "precedence: default profile over instance metadata",
            Category = PeerCategory.Precedence,
            Credentials = Keys("default", ProfileKeys),
            Imds = true,
            Expected = PeerOutcome.Keys(ProfileKeys, "credentials file"),
        };
        yield return new()
        {
            Name = "precedence: environment keys over the profile AWS_PROFILE names",
            Category = PeerCategory.Precedence,
            Variables = Merge(Env(EnvKeys), new Dictionary<string, string?> { ["AWS_PROFILE"] = "named" }),
            Credentials = Keys("named", NamedKeys),
            Expected = PeerOutcome.Keys(EnvKeys, "environment"),
        };
        yield return new PeerEnvironment
        {
            Name = "precedence: an explicitly chosen profile over environment keys",
            Category = PeerCategory.Precedence,
            Variables = Env(EnvKeys),
            Credentials = Keys("named", NamedKeys),
            ExplicitProfile = "named",
            Expected = PeerOutcome.Keys(NamedKeys, "named profile"),
        };
        yield return new()
        {
            Name = "precedence: an explicitly chosen profile over environment web identity",
            Category = PeerCategory.Precedence,
            Variables = EnvWebIdentity(),
            Files = EnvWebTokenFile(),
            Credentials = Keys("named", NamedKeys),
            ExplicitProfile = "named",
            Expected = PeerOutcome.Keys(NamedKeys, "named profile"),
        };
        yield return new()
        {
            Name = "precedence: credentials file over config file in one profile",
            Category = PeerCategory.Precedence,
            Credentials = Keys("default", ProfileKeys),
            Config = Keys("default", ConfigKeys),
            Expected = PeerOutcome.Keys(ProfileKeys, "credentials file"),
        };
        yield return new PeerEnvironment
        {
            Name = "precedence: credentials file keys over credential_process in one profile",
            Category = PeerCategory.Precedence,
            Credentials = Keys("default", ProfileKeys),
            Config = "[default]\ncredential_process = cat {home}/process.json\n",
            Files = ProcessFile(),
            Expected = PeerOutcome.Keys(ProfileKeys, "credentials file"),
        }.Differs(
            PeerDifference.CredentialProcessBeforeCredentialsFileKeys,
            PeerOutcome.Keys(ProcessKeys, "credential_process"));
        yield return new()
        {
            Name = "precedence: credential_process over config file keys in one section",
            Category = PeerCategory.Precedence,
            Config = Keys("default", ConfigKeys) + "credential_process = cat {home}/process.json\n",
            Files = ProcessFile(),
            Expected = PeerOutcome.Keys(ProcessKeys, "credential_process"),
        };
        yield return new()
        {
            Name = "precedence: a profile's role over its own static keys",
            Category = PeerCategory.Precedence,
            Config = $"[default]\nrole_arn = {RoleA}\nsource_profile = base\n",
            Credentials = Keys("default", ProfileKeys) + Keys("base", SourceKeys),
            Expected = PeerOutcome.Keys(PeerKeys.AssumeRole(RoleA, SourceKeys), "AssumeRole"),
        };
        yield return new()
        {
            Name = "precedence: a profile's web identity over its own static keys",
            Category = PeerCategory.Precedence,
            Config = $"[default]\nrole_arn = {RoleA}\nweb_identity_token_file = {{home}}/profile-token\n",
            Credentials = Keys("default", ProfileKeys),
            Files = ProfileWebTokenFile(),
            Expected = PeerOutcome.Keys(PeerKeys.WebIdentity(RoleA, ProfileWebToken), "AssumeRoleWithWebIdentity"),
        };
        yield return new()
        {
            Name = "precedence: the role of the profile AWS_PROFILE names over environment web identity",
            Category = PeerCategory.Precedence,
            Variables = Merge(EnvWebIdentity(), new Dictionary<string, string?> { ["AWS_PROFILE"] = "deploy" }),
            Files = EnvWebTokenFile(),
            Config = $"[profile deploy]\nrole_arn = {RoleB}\nsource_profile = base\n",
            Credentials = Keys("base", SourceKeys),
            Expected = PeerOutcome.Keys(PeerKeys.AssumeRole(RoleB, SourceKeys), "AssumeRole"),
        };
    }

    private static IEnumerable<PeerEnvironment> FallThrough()
    {
        yield return new()
        {
            Name = "precedence: AWS_ROLE_ARN without a token file falls through to instance metadata",
            Category = PeerCategory.Precedence,
            Variables = new Dictionary<string, string?> { ["AWS_ROLE_ARN"] = RoleWeb },
            Imds = true,
            Expected = PeerOutcome.Keys(ImdsKeys, "instance metadata"),
        };
        yield return new()
        {
            Name = "precedence: a default profile holding only settings falls through to instance metadata",
            Category = PeerCategory.Precedence,
            Config = "[default]\nregion = eu-west-1\noutput = json\n",
            Imds = true,
            Expected = PeerOutcome.Keys(ImdsKeys, "instance metadata"),
        };
        yield return new()
        {
            Name = "precedence: AWS_ENDPOINT_URL_STS over AWS_ENDPOINT_URL",
            Category = PeerCategory.Precedence,
            Variables = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9" },
            Config = $"[default]\nrole_arn = {RoleA}\nsource_profile = base\n",
            Credentials = Keys("base", SourceKeys),
            Expected = PeerOutcome.Keys(PeerKeys.AssumeRole(RoleA, SourceKeys), "AssumeRole"),
        };
    }

    private static IEnumerable<PeerEnvironment> Settings()
    {
        yield return new()
        {
            Name = "source: [profile default] in the config file",
            Category = PeerCategory.Source,
            Config = "[profile default]\n" + Keys("default", ConfigKeys)[("[default]\n".Length)..],
            Expected = PeerOutcome.Keys(ConfigKeys, "config file"),
        };
        yield return new()
        {
            Name = "source: AWS_SHARED_CREDENTIALS_FILE over the home directory's file",
            Category = PeerCategory.Source,
            Credentials = Keys("default", ProfileKeys),
            Files = new Dictionary<string, string> { ["elsewhere-credentials"] = Keys("default", NamedKeys) },
            Variables = new Dictionary<string, string?> { ["AWS_SHARED_CREDENTIALS_FILE"] = "{home}/elsewhere-credentials" },
            Expected = PeerOutcome.Keys(NamedKeys, "credentials file named by AWS_SHARED_CREDENTIALS_FILE"),
        };
        yield return new()
        {
            Name = "source: AWS_CONFIG_FILE over the home directory's file",
            Category = PeerCategory.Source,
            Config = Keys("default", ConfigKeys),
            Files = new Dictionary<string, string> { ["elsewhere-config"] = Keys("default", NamedKeys) },
            Variables = new Dictionary<string, string?> { ["AWS_CONFIG_FILE"] = "{home}/elsewhere-config" },
            Expected = PeerOutcome.Keys(NamedKeys, "config file named by AWS_CONFIG_FILE"),
        };
        yield return new()
        {
            Name = "source: environment keys with the legacy AWS_SECURITY_TOKEN",
            Category = PeerCategory.Source,
            Variables = new Dictionary<string, string?>
            {
                ["AWS_ACCESS_KEY_ID"] = EnvSessionKeys.AccessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = EnvSessionKeys.SecretAccessKey,
                ["AWS_SECURITY_TOKEN"] = EnvSessionKeys.SessionToken,
            },
            Expected = PeerOutcome.Keys(EnvSessionKeys, "environment"),
        };
        yield return new()
        {
            Name = "precedence: container token file over AWS_CONTAINER_AUTHORIZATION_TOKEN",
            Category = PeerCategory.Precedence,
            Variables = new Dictionary<string, string?>(Container()) { ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "{home}/container-token" },
            Files = new Dictionary<string, string> { ["container-token"] = ContainerAuthorizationFromFile },
            Expected = PeerOutcome.Keys(PeerKeys.Container(ContainerAuthorizationFromFile), "container"),
        };
        yield return new PeerEnvironment
        {
            Name = "precedence: environment web identity over the static keys of the profile AWS_PROFILE names",
            Category = PeerCategory.Precedence,
            Variables = Merge(EnvWebIdentity(), new Dictionary<string, string?> { ["AWS_PROFILE"] = "named" }),
            Files = EnvWebTokenFile(),
            Credentials = Keys("named", NamedKeys),
            Expected = PeerOutcome.Keys(PeerKeys.WebIdentity(RoleWeb, EnvWebToken), "AssumeRoleWithWebIdentity"),
        };
        yield return new()
        {
            Name = "precedence: default profile role on instance metadata over environment web identity",
            Category = PeerCategory.Precedence,
            Variables = EnvWebIdentity(),
            Files = EnvWebTokenFile(),
            Imds = true,
            Config = $"[default]\nrole_arn = {RoleA}\ncredential_source = Ec2InstanceMetadata\n",
            Expected = PeerOutcome.Keys(PeerKeys.AssumeRole(RoleA, ImdsKeys), "AssumeRole on instance metadata"),
        };
        yield return new()
        {
            Name = "chain: AWS_ROLE_SESSION_NAME does not name a profile role's session",
            Category = PeerCategory.ProfileChain,
            Variables = new Dictionary<string, string?> { ["AWS_ROLE_SESSION_NAME"] = "peer-session-environment" },
            Config = $"[default]\nrole_arn = {RoleA}\nsource_profile = base\n",
            Credentials = Keys("base", SourceKeys),
            Expected = PeerOutcome.Keys(PeerKeys.AssumeRole(RoleA, SourceKeys), "AssumeRole"),
        };
        yield return new()
        {
            Name = "fault: IMDS answers 500 once, metadata_service_num_attempts=3 in the profile",
            Category = PeerCategory.Fault,
            Imds = true,
            Config = "[default]\nmetadata_service_num_attempts = 3\n",
            Faults = new PeerFaults { ImdsFailures = 1 },
            Expected = PeerOutcome.Keys(ImdsKeys, "instance metadata after a retry"),
        };
    }

    private static IEnumerable<PeerEnvironment> Chains()
    {
        yield return Chain(
            "chain: source_profile with static keys",
            $"role_arn = {RoleA}\nsource_profile = base\n",
            PeerKeys.AssumeRole(RoleA, SourceKeys));
        yield return Chain(
            "chain: source_profile with external_id",
            $"role_arn = {RoleA}\nsource_profile = base\nexternal_id = {ExternalId}\n",
            PeerKeys.AssumeRole(RoleA, SourceKeys, externalId: ExternalId));
        yield return Chain(
            "chain: source_profile with duration_seconds",
            $"role_arn = {RoleA}\nsource_profile = base\nduration_seconds = 900\n",
            PeerKeys.AssumeRole(RoleA, SourceKeys, durationSeconds: 900));
        yield return Chain(
            "chain: source_profile with role_session_name",
            $"role_arn = {RoleA}\nsource_profile = base\nrole_session_name = peer-session-profile\n",
            PeerKeys.AssumeRole(RoleA, SourceKeys, sessionName: "peer-session-profile"));
        yield return new()
        {
            Name = "chain: two role hops, External ID and duration on each",
            Category = PeerCategory.ProfileChain,
            Config = $"[default]\nrole_arn = {RoleA}\nsource_profile = middle\nexternal_id = {ExternalId}\nduration_seconds = 1800\n"
                + $"[profile middle]\nrole_arn = {RoleB}\nsource_profile = base\nexternal_id = peer-external-id-middle\nduration_seconds = 3600\n",
            Credentials = Keys("base", SourceKeys),
            Expected = PeerOutcome.Keys(
                PeerKeys.AssumeRole(RoleA, PeerKeys.AssumeRole(RoleB, SourceKeys, "peer-external-id-middle", durationSeconds: 3600), ExternalId, durationSeconds: 1800),
                "AssumeRole on AssumeRole"),
        };
        yield return new PeerEnvironment
        {
            Name = "chain: credential_source Environment",
            Category = PeerCategory.ProfileChain,
            Variables = Env(EnvSessionKeys),
            Config = $"[profile role]\nrole_arn = {RoleA}\ncredential_source = Environment\n",
            ExplicitProfile = "role",
            Expected = PeerOutcome.Keys(PeerKeys.AssumeRole(RoleA, EnvSessionKeys), "AssumeRole on environment keys"),
        };
        yield return new()
        {
            Name = "chain: credential_source EcsContainer",
            Category = PeerCategory.ProfileChain,
            Variables = Container(),
            Config = $"[default]\nrole_arn = {RoleA}\ncredential_source = EcsContainer\n",
            Expected = PeerOutcome.Keys(PeerKeys.AssumeRole(RoleA, PeerKeys.Container(ContainerAuthorization)), "AssumeRole on container"),
        };
        yield return new()
        {
            Name = "chain: credential_source Ec2InstanceMetadata",
            Category = PeerCategory.ProfileChain,
            Imds = true,
            Config = $"[default]\nrole_arn = {RoleA}\ncredential_source = Ec2InstanceMetadata\nexternal_id = {ExternalId}\n",
            Expected = PeerOutcome.Keys(PeerKeys.AssumeRole(RoleA, ImdsKeys, ExternalId), "AssumeRole on instance metadata"),
        };
        yield return new()
        {
            Name = "chain: source_profile with credential_process",
            Category = PeerCategory.ProfileChain,
            Config = $"[default]\nrole_arn = {RoleA}\nsource_profile = tool\n[profile tool]\ncredential_process = cat {{home}}/process.json\n",
            Files = ProcessFile(),
            Expected = PeerOutcome.Keys(PeerKeys.AssumeRole(RoleA, ProcessKeys), "AssumeRole on credential_process"),
        };
        yield return new()
        {
            Name = "chain: source_profile with web_identity_token_file",
            Category = PeerCategory.ProfileChain,
            Config = $"[default]\nrole_arn = {RoleA}\nsource_profile = web\n[profile web]\nrole_arn = {RoleWeb}\nweb_identity_token_file = {{home}}/profile-token\n",
            Files = ProfileWebTokenFile(),
            Expected = PeerOutcome.Keys(PeerKeys.AssumeRole(RoleA, PeerKeys.WebIdentity(RoleWeb, ProfileWebToken)), "AssumeRole on web identity"),
        };
        yield return new()
        {
            Name = "chain: web identity profile with role_session_name and duration_seconds",
            Category = PeerCategory.ProfileChain,
            Config = $"[default]\nrole_arn = {RoleA}\nweb_identity_token_file = {{home}}/profile-token\nrole_session_name = peer-session-web\nduration_seconds = 1200\n",
            Files = ProfileWebTokenFile(),
            Expected = PeerOutcome.Keys(PeerKeys.WebIdentity(RoleA, ProfileWebToken, "peer-session-web"), "AssumeRoleWithWebIdentity"),
        };
        yield return new()
        {
            Name = "chain: a profile that is its own source_profile uses its static keys",
            Category = PeerCategory.ProfileChain,
            Config = $"[default]\nrole_arn = {RoleA}\nsource_profile = default\n",
            Credentials = Keys("default", ProfileKeys),
            Expected = PeerOutcome.Keys(PeerKeys.AssumeRole(RoleA, ProfileKeys), "AssumeRole on its own keys"),
        };
        yield return new()
        {
            Name = "chain: AWS_PROFILE names a role profile over the default profile's keys",
            Category = PeerCategory.ProfileChain,
            Variables = new Dictionary<string, string?> { ["AWS_PROFILE"] = "deploy" },
            Config = $"[profile deploy]\nrole_arn = {RoleB}\nsource_profile = default\nexternal_id = {ExternalId}\n",
            Credentials = Keys("default", ProfileKeys),
            Expected = PeerOutcome.Keys(PeerKeys.AssumeRole(RoleB, ProfileKeys, ExternalId), "AssumeRole"),
        };
    }

    private static IEnumerable<PeerEnvironment> Failures()
    {
        yield return Failing(
            "fails: source_profile names a missing profile",
            "the role's source is misconfigured",
            config: $"[default]\nrole_arn = {RoleA}\nsource_profile = missing\n");
        yield return Failing(
            "fails: credential_process exits with an error",
            "the configured process failed",
            config: "[default]\ncredential_process = sh -c \"exit 3\"\n");
        yield return Failing(
            "fails: credential_process prints no JSON",
            "the configured process answered garbage",
            config: "[default]\ncredential_process = echo not-json\n");
        yield return Failing(
            "fails: STS refuses the profile's role",
            "STS answered AccessDenied",
            config: $"[default]\nrole_arn = {RoleA}\nsource_profile = base\n",
            credentials: Keys("base", SourceKeys),
            faults: new PeerFaults { StsFailures = int.MaxValue, StsStatus = 403, StsCode = "AccessDenied" });
        yield return Failing(
            "fails: environment web identity token file missing",
            "the configured token file does not exist",
            variables: new Dictionary<string, string?> { ["AWS_ROLE_ARN"] = RoleWeb, ["AWS_WEB_IDENTITY_TOKEN_FILE"] = "{home}/no-such-token" });
        yield return Failing(
            "fails: STS rejects the web identity token",
            "STS answered InvalidIdentityToken",
            variables: EnvWebIdentity(),
            files: EnvWebTokenFile(),
            faults: new PeerFaults { StsFailures = int.MaxValue, StsStatus = 400, StsCode = "InvalidIdentityToken" });
        yield return Failing(
            "fails: container endpoint always answers 500",
            "the configured container endpoint is broken",
            variables: Container(),
            faults: new PeerFaults { ContainerFailures = int.MaxValue });
        yield return Failing(
            "fails: credential_source Environment without environment keys",
            "the role's source has no credentials",
            config: $"[default]\nrole_arn = {RoleA}\ncredential_source = Environment\n");
        yield return Failing(
            "fails: credential_source with an unknown value",
            "the role's source is misconfigured",
            config: $"[default]\nrole_arn = {RoleA}\ncredential_source = Ec2Metadata\n");
        yield return Failing(
            "fails: role with both source_profile and credential_source",
            "the role's source is ambiguous",
            config: $"[default]\nrole_arn = {RoleA}\nsource_profile = base\ncredential_source = Ec2InstanceMetadata\n",
            credentials: Keys("base", SourceKeys));
        yield return Failing(
            "fails: source_profile loop without keys",
            "the profiles form a loop",
            config: $"[default]\nrole_arn = {RoleA}\nsource_profile = other\n[profile other]\nrole_arn = {RoleB}\nsource_profile = default\n");
        yield return Failing(
            "fails: profile with an access key and no secret",
            "the profile's keys are partial",
            credentials: "[default]\naws_access_key_id = AKIAPEERPARTIALKEY01\n");
        yield return Failing(
            "fails: AWS_ACCESS_KEY_ID without a secret",
            "the environment's keys are partial",
            variables: new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "AKIAPEERPARTIALKEY02" });
        yield return Failing(
            "fails: AWS_WEB_IDENTITY_TOKEN_FILE without AWS_ROLE_ARN",
            "web identity is half configured",
            variables: new Dictionary<string, string?> { ["AWS_WEB_IDENTITY_TOKEN_FILE"] = "{home}/env-token" },
            files: EnvWebTokenFile());
        yield return Failing(
            "fails: role_arn without source_profile or credential_source",
            "the role has no source",
            config: $"[default]\nrole_arn = {RoleA}\n");
        yield return Failing(
            "fails: SSO profile without a cached login",
            "IAM Identity Center needs a login (botocore finds no token; the library does not support SSO)",
            config: "[default]\nsso_start_url = https://peer.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Peer\n");
        yield return Failing(
            "fails: credential_process reports Version 2",
            "the process output has an unsupported version",
            config: "[default]\ncredential_process = cat {home}/process2.json\n",
            files: new Dictionary<string, string>
            {
                ["process2.json"] = $$"""{"Version": 2, "AccessKeyId": "{{ProcessKeys.AccessKeyId}}", "SecretAccessKey": "{{ProcessKeys.SecretAccessKey}}"}""",
            });
        yield return Failing(
            "fails: container authorization token file missing",
            "the configured token file does not exist",
            variables: new Dictionary<string, string?>
            {
                ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "{endpoint}" + PeerFakeServer.ContainerPath,
                ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "{home}/no-such-container-token",
            });
        yield return Failing(
            "fails: AWS_PROFILE names a missing profile",
            "the chosen profile does not exist",
            variables: new Dictionary<string, string?> { ["AWS_PROFILE"] = "missing" },
            credentials: Keys("default", ProfileKeys));
    }

    private static IEnumerable<PeerEnvironment> Faults()
    {
        string role = $"[default]\nrole_arn = {RoleA}\nsource_profile = base\n";
        PeerCredentials assumed = PeerKeys.AssumeRole(RoleA, SourceKeys);
        yield return new()
        {
            Name = "fault: STS throttles twice (400 Throttling), then answers",
            Category = PeerCategory.Fault,
            Config = role,
            Credentials = Keys("base", SourceKeys),
            Faults = new PeerFaults { StsFailures = 2, StsStatus = 400, StsCode = "Throttling" },
            Expected = PeerOutcome.Keys(assumed, "AssumeRole after retries"),
        };
        yield return new()
        {
            Name = "fault: STS answers 503 once, then answers",
            Category = PeerCategory.Fault,
            Config = role,
            Credentials = Keys("base", SourceKeys),
            Faults = new PeerFaults { StsFailures = 1, StsStatus = 503, StsCode = "ServiceUnavailable" },
            Expected = PeerOutcome.Keys(assumed, "AssumeRole after a retry"),
        };
        yield return new()
        {
            Name = "fault: STS throttles web identity once, then answers",
            Category = PeerCategory.Fault,
            Variables = EnvWebIdentity(),
            Files = EnvWebTokenFile(),
            Faults = new PeerFaults { StsFailures = 1, StsStatus = 400, StsCode = "Throttling" },
            Expected = PeerOutcome.Keys(PeerKeys.WebIdentity(RoleWeb, EnvWebToken), "AssumeRoleWithWebIdentity after a retry"),
        };
        yield return new()
        {
            Name = "fault: IMDS answers 500 once, AWS_METADATA_SERVICE_NUM_ATTEMPTS=3",
            Category = PeerCategory.Fault,
            Imds = true,
            Variables = new Dictionary<string, string?> { ["AWS_METADATA_SERVICE_NUM_ATTEMPTS"] = "3" },
            Faults = new PeerFaults { ImdsFailures = 1 },
            Expected = PeerOutcome.Keys(ImdsKeys, "instance metadata after a retry"),
        };
        yield return new()
        {
            Name = "fault: slow IMDS (1.5 s a request), AWS_METADATA_SERVICE_TIMEOUT=4",
            Category = PeerCategory.Fault,
            Imds = true,
            Variables = new Dictionary<string, string?> { ["AWS_METADATA_SERVICE_TIMEOUT"] = "4" },
            Faults = new PeerFaults { ImdsDelay = TimeSpan.FromSeconds(1.5) },
            Expected = PeerOutcome.Keys(ImdsKeys, "instance metadata, slowly"),
        };
        yield return new()
        {
            Name = "fault: slow IMDS (1.5 s a request), metadata_service_timeout=4 in the profile",
            Category = PeerCategory.Fault,
            Imds = true,
            Config = "[default]\nmetadata_service_timeout = 4\n",
            Faults = new PeerFaults { ImdsDelay = TimeSpan.FromSeconds(1.5) },
            Expected = PeerOutcome.Keys(ImdsKeys, "instance metadata, slowly"),
        };
        yield return new()
        {
            Name = "fault: slow IMDS (1.5 s a request), default timeout",
            Category = PeerCategory.Fault,
            Imds = true,
            Faults = new PeerFaults { ImdsDelay = TimeSpan.FromSeconds(1.5) },
            Expected = PeerOutcome.Failure("instance metadata does not answer within the default timeout"),
        };
        yield return new PeerEnvironment
        {
            Name = "fault: IMDS answers 500 once, default attempts",
            Category = PeerCategory.Fault,
            Imds = true,
            Faults = new PeerFaults { ImdsFailures = 1 },
            Expected = PeerOutcome.Failure("botocore makes one attempt by default"),
        }.Differs(
            PeerDifference.ImdsRetriesByDefault,
            PeerOutcome.Keys(ImdsKeys, "instance metadata after a retry"));
        yield return new()
        {
            Name = "fault: IMDSv2 token refused (403), IMDSv1 answers",
            Category = PeerCategory.Fault,
            Imds = true,
            Faults = new PeerFaults { ImdsTokenStatus = 403 },
            Expected = PeerOutcome.Keys(ImdsKeys, "instance metadata over IMDSv1"),
        };
        yield return new()
        {
            Name = "fault: IMDSv2 token refused (403) and AWS_EC2_METADATA_V1_DISABLED=true",
            Category = PeerCategory.Fault,
            Imds = true,
            Variables = new Dictionary<string, string?> { ["AWS_EC2_METADATA_V1_DISABLED"] = "true" },
            Faults = new PeerFaults { ImdsTokenStatus = 403 },
            Expected = PeerOutcome.Failure("IMDSv1 is disabled and no token was issued"),
        };
        yield return new()
        {
            Name = "fault: slow IMDSv2 token (1.5 s), default timeout",
            Category = PeerCategory.Fault,
            Imds = true,
            Faults = new PeerFaults { ImdsDelay = TimeSpan.FromSeconds(1.5), ImdsDelayTokenOnly = true },
            Expected = PeerOutcome.Keys(ImdsKeys, "instance metadata over IMDSv1 after the token timed out"),
        };
        yield return new()
        {
            Name = "fault: container answers 500 once, then answers",
            Category = PeerCategory.Fault,
            Variables = Container(),
            Faults = new PeerFaults { ContainerFailures = 1 },
            Expected = PeerOutcome.Keys(PeerKeys.Container(ContainerAuthorization), "container after a retry"),
        };
    }

    private static PeerEnvironment Chain(string name, string roleSection, PeerCredentials expected) => new()
    {
        Name = name,
        Category = PeerCategory.ProfileChain,
        Config = "[default]\n" + roleSection,
        Credentials = Keys("base", SourceKeys),
        Expected = PeerOutcome.Keys(expected, "AssumeRole"),
    };

    /// <summary>A failure environment: instance metadata stays reachable, so falling through would resolve its keys.</summary>
    private static PeerEnvironment Failing(
        string name,
        string why,
        string? config = null,
        string? credentials = null,
        IReadOnlyDictionary<string, string?>? variables = null,
        IReadOnlyDictionary<string, string>? files = null,
        PeerFaults? faults = null) => new()
        {
            Name = name,
            Category = PeerCategory.FailureWithoutFallThrough,
            Config = config,
            Credentials = credentials,
            Variables = variables ?? new Dictionary<string, string?>(),
            Files = files ?? new Dictionary<string, string>(),
            Faults = faults ?? PeerFaults.None,
            Imds = true,
            Expected = PeerOutcome.Failure(why),
        };

    private static string Keys(string profile, PeerCredentials keys)
    {
        string text = $"[{profile}]\naws_access_key_id = {keys.AccessKeyId}\naws_secret_access_key = {keys.SecretAccessKey}\n";
        return keys.SessionToken is null ? text : text + $"aws_session_token = {keys.SessionToken}\n";
    }

    private static Dictionary<string, string?> Env(PeerCredentials keys)
    {
        var variables = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = keys.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = keys.SecretAccessKey,
        };
        if (keys.SessionToken is not null)
        {
            variables["AWS_SESSION_TOKEN"] = keys.SessionToken;
        }

        return variables;
    }

    private static Dictionary<string, string?> EnvWebIdentity() => new()
    {
        ["AWS_ROLE_ARN"] = RoleWeb,
        ["AWS_WEB_IDENTITY_TOKEN_FILE"] = "{home}/env-token",
    };

    private static Dictionary<string, string?> Container() => new()
    {
        ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "{endpoint}" + PeerFakeServer.ContainerPath,
        ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = ContainerAuthorization,
    };

    private static Dictionary<string, string> EnvWebTokenFile() => new() { ["env-token"] = EnvWebToken };

    private static Dictionary<string, string> ProfileWebTokenFile() => new() { ["profile-token"] = ProfileWebToken };

    private static Dictionary<string, string> ProcessFile() => new()
    {
        ["process.json"] = $$"""{"Version": 1, "AccessKeyId": "{{ProcessKeys.AccessKeyId}}", "SecretAccessKey": "{{ProcessKeys.SecretAccessKey}}", "SessionToken": "{{ProcessKeys.SessionToken}}", "Expiration": "{expiration}"}""",
    };

    private static Dictionary<TKey, TValue> Merge<TKey, TValue>(Dictionary<TKey, TValue> first, Dictionary<TKey, TValue> second)
        where TKey : notnull
    {
        var merged = new Dictionary<TKey, TValue>(first);
        foreach ((TKey key, TValue value) in second)
        {
            merged[key] = value;
        }

        return merged;
    }
}
