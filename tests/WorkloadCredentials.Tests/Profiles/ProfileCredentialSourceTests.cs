using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.Profiles;

public sealed class ProfileCredentialSourceTests : IDisposable
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string SessionToken = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";

    private readonly List<ProfileFiles> _files = [];
    private readonly FakeLogCollector _logs = SecretScanLogging.NewCollector();
    private readonly List<Exception> _errors = [];

    private FakeProfileStepFactory Steps { get; } = new();

    public void Dispose()
    {
        foreach (ProfileFiles files in _files)
        {
            files.Dispose();
        }
    }

    [Fact]
    public async Task GetCredentialsAsync_DefaultProfileStaticKeys_ReturnsThem()
    {
        var source = CreateSut(credentials: $"[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = {Secret}\naws_session_token = {SessionToken}\naws_account_id = 123456789012\n");

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(("AKIDDEFAULT", Secret, SessionToken, "123456789012", "Profile"), (credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, credentials.AccountId, credentials.SourceName));
        Assert.Null(credentials.Expiration);
        Assert.Empty(Steps.Calls);
        AssertNoSecretsLogged();
    }

    [Fact]
    public async Task GetCredentialsAsync_NoFilesNoProfileNamed_Unavailable()
    {
        var source = CreateSut();
        ProfileFiles files = _files[^1];

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            $"Profile: no default profile in {files.ConfigPath} or {files.CredentialsPath}, and neither AWS_PROFILE nor WorkloadCredentialsOptions.Profile names one. Set AWS_PROFILE, or add credentials to the default profile, to use shared config profiles.",
            ex.Message);
        Assert.Equal("Profile", ex.SourceName);
    }

    [Fact]
    public async Task GetCredentialsAsync_NoHome_Unavailable()
    {
        var source = new ProfileCredentialSource(NetworkSafety.Guarded(new WorkloadCredentialsOptions(), new DictionaryEnvironment()), Steps, isWindows: false);

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            "Profile: no home directory is known (HOME is not set) and neither AWS_CONFIG_FILE nor AWS_SHARED_CREDENTIALS_FILE is set. Set AWS_PROFILE, or add credentials to the default profile, to use shared config profiles.",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_DefaultProfileOnlyConfiguration_Unavailable()
    {
        var source = CreateSut(config: "[default]\nregion = us-east-1\nmax_attempts = 1\n");

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            $"Profile: profile 'default' (the default profile) in {_files[^1].ConfigPath} has no credential settings (aws_access_key_id, aws_secret_access_key, aws_session_token, role_arn, source_profile, credential_source, credential_process, web_identity_token_file, ...), only configuration. Set AWS_PROFILE, or add credentials to the default profile, to use shared config profiles.",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_AwsProfileNamesMissingProfile_FailsInsteadOfFallingThrough()
    {
        var source = CreateSut(config: "[profile other]\nregion = x\n", environment: new() { ["AWS_PROFILE"] = "dev" });
        ProfileFiles files = _files[^1];

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.IsNotType<CredentialUnavailableException>(ex, exactMatch: false);
        Assert.Equal(
            $"Profile: profile 'dev' (named by AWS_PROFILE) was not found in {files.ConfigPath} or {files.CredentialsPath}. Add [profile dev] to the config file or [dev] to the credentials file, or set AWS_PROFILE to an existing profile.",
            ex.Message);
        Assert.False(ex.IsRecoverable);
    }

    [Fact]
    public async Task GetCredentialsAsync_OptionsProfileWinsOverAwsProfile()
    {
        var source = CreateSut(
            credentials: "[a]\naws_access_key_id = AKIDA\naws_secret_access_key = sa\n[b]\naws_access_key_id = AKIDB\naws_secret_access_key = sb\n",
            environment: new() { ["AWS_PROFILE"] = "a" },
            options: new WorkloadCredentialsOptions { Profile = "b" });

        Assert.Equal("AKIDB", (await source.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
    }

    [Fact]
    public async Task GetCredentialsAsync_OptionsProfileMissing_NamesTheOption()
    {
        var source = CreateSut(config: "[default]\nregion = x\n", options: new WorkloadCredentialsOptions { Profile = "prod" });

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.EndsWith(
            "(named by WorkloadCredentialsOptions.Profile) was not found in " + _files[^1].ConfigPath + " or " + _files[^1].CredentialsPath
            + ". Add [profile prod] to the config file or [prod] to the credentials file, or set WorkloadCredentialsOptions.Profile to an existing profile.",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_NamedProfileOnlyConfiguration_Unavailable()
    {
        var source = CreateSut(config: "[profile dev]\nregion = eu-west-1\n", environment: new() { ["AWS_PROFILE"] = "dev" });

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith("Profile: profile 'dev' (named by AWS_PROFILE) in ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_RoleChainWithExternalId_AssumesInOrderWithPreviousCredentials()
    {
        var source = CreateSut(
            config: """
                [profile customer]
                role_arn = arn:aws:iam::222222222222:role/Customer
                source_profile = platform
                external_id = ext-42
                role_session_name = backup
                duration_seconds = 1800
                region = eu-central-1
                [profile platform]
                role_arn = arn:aws:iam::111111111111:role/Platform
                source_profile = base
                """,
            credentials: $"[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = {Secret}\n",
            environment: new() { ["AWS_PROFILE"] = "customer" });

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["AssumeRole arn:aws:iam::111111111111:role/Platform", "AssumeRole arn:aws:iam::222222222222:role/Customer"], Steps.Calls);
        Assert.Equal("AKIDBASE", Steps.AssumeRoles[0].Caller.AccessKeyId);
        Assert.Equal(Secret, Steps.AssumeRoles[0].Caller.SecretAccessKey);
        Assert.Equal("ASIAPLATFORM", Steps.AssumeRoles[1].Caller.AccessKeyId);
        ProfileAssumeRoleRequest first = Steps.AssumeRoles[0].Request;
        ProfileAssumeRoleRequest last = Steps.AssumeRoles[1].Request;
        Assert.Equal((null, null, null), (first.ExternalId, first.SessionName, first.Duration));
        Assert.Equal(("ext-42", "backup", TimeSpan.FromMinutes(30)), (last.ExternalId, last.SessionName, last.Duration));
        Assert.Equal("eu-central-1", last.Sts.Region);
        Assert.Null(last.Sts.Endpoint);
        Assert.Equal(("ASIACUSTOMER", "222222222222", "arn:aws:iam::222222222222:role/Customer", "Profile"), (credentials.AccessKeyId, credentials.AccountId, credentials.RoleArn, credentials.SourceName));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(20000), credentials.Expiration);
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == ProfileLog.IdChainResolved
            && r.Message.Contains("static keys AKID*** of profile 'base' -> assume role arn:aws:iam::111111111111:role/Platform of profile 'platform' -> assume role arn:aws:iam::222222222222:role/Customer of profile 'customer'", StringComparison.Ordinal));
        AssertNoSecretsLogged();
    }

    [Fact]
    public async Task GetCredentialsAsync_RegionAndEndpoint_EnvironmentAndServicesSection()
    {
        var source = CreateSut(
            config: "[default]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = Ec2InstanceMetadata\nregion = us-east-1\nservices = local\nendpoint_url = http://127.0.0.1:9\nuse_fips_endpoint = true\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:4566\n",
            environment: new() { ["AWS_REGION"] = "us-east-2", ["AWS_USE_FIPS_ENDPOINT"] = "false" });

        _ = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        ProfileStsSettings sts = Assert.Single(Steps.AssumeRoles).Request.Sts;
        Assert.Equal(("us-east-2", new Uri("http://127.0.0.1:4566"), (bool?)false, (bool?)null), (sts.Region, sts.Endpoint, sts.UseFips, sts.UseDualStack));
        Assert.Equal($"endpoint_url of sts in [services local] ({_files[^1].ConfigPath} line 9)", sts.EndpointOrigin);
        Assert.Equal(["InstanceMetadata", "AssumeRole arn:aws:iam::1:role/R"], Steps.Calls);
        Assert.Equal("AKIDIMDS", Steps.AssumeRoles[0].Caller.AccessKeyId);
    }

    [Fact]
    public async Task GetCredentialsAsync_OptionsRegionWins()
    {
        var source = CreateSut(
            config: "[default]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = EcsContainer\nregion = us-east-1\n",
            environment: new() { ["AWS_REGION"] = "us-east-2", ["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:5" },
            options: new WorkloadCredentialsOptions { Region = "ap-south-1" });

        _ = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        ProfileStsSettings sts = Steps.AssumeRoles[0].Request.Sts;
        Assert.Equal(("ap-south-1", "http://127.0.0.1:5/", "AWS_ENDPOINT_URL_STS"), (sts.Region, sts.Endpoint?.ToString(), sts.EndpointOrigin));
        Assert.Equal("Container", Steps.Calls[0]);
    }

    [Fact]
    public async Task GetCredentialsAsync_InvalidEndpoint_FailsNamingTheSetting()
    {
        var source = CreateSut(config: "[default]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = EcsContainer\nendpoint_url = localhost:4566\n");

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            $"Profile: the STS endpoint 'localhost:4566' from endpoint_url of profile 'default' ({_files[^1].ConfigPath} line 4) is not an absolute http or https URL. Fix the setting.",
            ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_CredentialSourceEnvironmentUnavailable_FailsNotFallsThrough()
    {
        // smithy-rs profile_overrides_web_identity: the profile asked for the environment; web identity variables must not be used.
        var source = CreateSut(
            config: "[profile A]\nrole_arn = arn:aws:iam::123456789:role/RoleA\ncredential_source = Environment\n",
            environment: new() { ["AWS_PROFILE"] = "A", ["AWS_ROLE_ARN"] = "arn:aws:iam::123456789:role/RoleB", ["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/token.jwt" });

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.IsNotType<CredentialUnavailableException>(ex, exactMatch: false);
        Assert.Equal(
            $"Profile: credential_source Environment of profile 'A' ({_files[^1].ConfigPath} line 3) is unavailable: Environment: AWS_ACCESS_KEY_ID is not set.",
            ex.Message);
        Assert.Equal(ProfileErrorKind.StepFailed, ex.Kind);
        Assert.True(ex.IsRecoverable);
        Assert.Equal(["Environment"], Steps.Calls);
    }

    [Fact]
    public async Task GetCredentialsAsync_RoleStepNonRecoverable_KeepsItAndNamesTheRole()
    {
        Steps.AssumeRoleFailure = _ => new AwsCredentialException("AssumeRole: AccessDenied: not authorized to assume the role.", "AssumeRole", isRecoverable: false);
        var source = CreateSut(config: "[default]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = Ec2InstanceMetadata\n");

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            $"Profile: assume role arn:aws:iam::1:role/R of profile 'default' ({_files[^1].ConfigPath} line 2) failed: AssumeRole: AccessDenied: not authorized to assume the role.",
            ex.Message);
        Assert.False(ex.IsRecoverable);
        Assert.IsType<AwsCredentialException>(ex.InnerException);
    }

    [Fact]
    public async Task GetCredentialsAsync_StepThrowsOtherException_WrappedRecoverable()
    {
        Steps.InstanceMetadata = () => new FakeProfileStepFactory.DelegateSource(_ => throw new HttpRequestException("Connection refused (127.0.0.1:1)"));
        var source = CreateSut(config: "[default]\ncredential_source = Ec2InstanceMetadata\n");

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            $"Profile: credential_source Ec2InstanceMetadata of profile 'default' ({_files[^1].ConfigPath} line 2) failed: HttpRequestException: Connection refused (127.0.0.1:1)",
            ex.Message);
        Assert.True(ex.IsRecoverable);
    }

    [Fact]
    public async Task GetCredentialsAsync_WebIdentityProfile_PassesTokenFileRoleAndSession()
    {
        var source = CreateSut(
            config: "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = w\n[profile w]\nrole_arn = arn:aws:iam::1:role/W\nweb_identity_token_file = /var/run/token\nrole_session_name = pod\nregion = eu-west-1\n",
            environment: new() { ["AWS_PROFILE"] = "a" });

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        ProfileWebIdentityRequest request = Assert.Single(Steps.WebIdentities);
        Assert.Equal(("arn:aws:iam::1:role/W", "/var/run/token", "pod"), (request.RoleArn, request.TokenFile, request.SessionName));
        Assert.Null(request.Sts.Region);
        Assert.Equal("ASIAWEB", Steps.AssumeRoles[0].Caller.AccessKeyId);
        Assert.Equal("ASIAA", credentials.AccessKeyId);
    }

    [Fact]
    public async Task GetCredentialsAsync_SsoSessionProfile_AsksTheSsoSourceWithTheSessionsSettingsAndConfiguredEndpoints()
    {
        var source = CreateSut(
            config: "[default]\nsso_session = dev\nsso_account_id = 1\nsso_role_name = R\nservices = local\n[sso-session dev]\nsso_region = eu-west-1\nsso_start_url = https://x\n[services local]\nsso_oidc =\n  endpoint_url = http://127.0.0.1:9/oidc\n",
            environment: new() { ["AWS_ENDPOINT_URL_SSO"] = "http://127.0.0.1:9/portal", ["AWS_USE_FIPS_ENDPOINT"] = "true" });

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        SsoProfileRequest request = Assert.Single(Steps.SsoRequests);
        Assert.Equal(("default", "dev", "https://x", "eu-west-1", "1", "R"), (request.ProfileName, request.SessionName, request.StartUrl, request.Region, request.AccountId, request.RoleName));
        Assert.Equal(("http://127.0.0.1:9/portal", "AWS_ENDPOINT_URL_SSO"), (request.PortalEndpoint, request.PortalEndpointOrigin));
        Assert.Equal("http://127.0.0.1:9/oidc", request.OidcEndpoint);
        Assert.StartsWith("endpoint_url of sso_oidc in [services local]", request.OidcEndpointOrigin, StringComparison.Ordinal);
        Assert.True(request.UseFips);
        Assert.False(request.UseDualStack);
        Assert.Equal("ASIASSO", credentials.AccessKeyId);
        Assert.Equal("Profile", credentials.SourceName);
    }

    [Fact]
    public async Task GetCredentialsAsync_MalformedFile_FailsNonRecoverable()
    {
        var source = CreateSut(config: "[default]\n= us-east-1\n\n[profile base]\nregion = us-east-1\n");

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Contains("could not parse profile file", ex.Message, StringComparison.Ordinal);
        Assert.Equal(
            $"Profile: could not parse profile file {_files[^1].ConfigPath} line 2: Property did not have a name. Fix the file or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE elsewhere.",
            ex.Message);
        Assert.False(ex.IsRecoverable);
    }

    [Fact]
    public async Task GetCredentialsAsync_FilesReadAtEveryCall()
    {
        var source = CreateSut(credentials: "[default]\naws_access_key_id = AKIDONE\naws_secret_access_key = s1\n");
        Assert.Equal("AKIDONE", (await source.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);

        await File.WriteAllTextAsync(_files[^1].CredentialsPath, "[default]\naws_access_key_id = AKIDTWO\naws_secret_access_key = s2\n", TestContext.Current.CancellationToken);

        Assert.Equal("AKIDTWO", (await source.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
    }

    [Fact]
    public async Task GetCredentialsAsync_CancelledBefore_Throws()
    {
        var source = CreateSut(credentials: "[default]\naws_access_key_id = A\naws_secret_access_key = s\n");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await source.GetCredentialsAsync(new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task GetCredentialsAsync_CancelledDuringStep_NotWrapped()
    {
        using var cts = new CancellationTokenSource();
        Steps.Container = () => new FakeProfileStepFactory.DelegateSource(async ct =>
        {
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
            throw new InvalidOperationException("unreachable");
        });
        var source = CreateSut(config: "[default]\ncredential_source = EcsContainer\n");

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await source.GetCredentialsAsync(cts.Token));

        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Fact]
    public async Task GetCredentialsAsync_CredentialProcess_RealProcessWithAccountFallback()
    {
        // The smithy-rs credential_process_account_id_fallback scenario's command line (echo base64 | base64 --decode: needs a shell),
        // run at a time before the Expiration it prints (2022-05-02T18:36:00Z): expired credentials are refused.
        var source = CreateSut(
            time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2022, 5, 1, 0, 0, 0, TimeSpan.Zero)),
            config: "[default]\nsource_profile = base\ncredential_process = echo eyAiVmVyc2lvbiI6IDEsICJBY2Nlc3NLZXlJZCI6ICJBU0lBUlRFU1RJRCIsICJTZWNyZXRBY2Nlc3NLZXkiOiAiVEVTVFNFQ1JFVEtFWSIsICJTZXNzaW9uVG9rZW4iOiAiVEVTVFNFU1NJT05UT0tFTiIsICJFeHBpcmF0aW9uIjogIjIwMjItMDUtMDJUMTg6MzY6MDArMDA6MDAiIH0K | base64 --decode\naws_account_id = 123456789001\n[profile base]\nregion = us-east-1\n");

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(("ASIARTESTID", "TESTSECRETKEY", "TESTSESSIONTOKEN", "123456789001", "Profile"), (credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, credentials.AccountId, credentials.SourceName));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1651516560), credentials.Expiration);
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == ProfileLog.IdCredentialProcessExited && r.Message.Contains("program /bin/sh, through a shell: True) exited with code 0", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.GetSnapshot(), r => r.Message.Contains("TESTSECRETKEY", StringComparison.Ordinal) || r.Message.Contains("TESTSESSIONTOKEN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetCredentialsAsync_CredentialProcessWithoutShell_AccountFromOutput()
    {
        var source = CreateSut(
            config: $$"""
                [default]
                credential_process = printf '%s' '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "{{Secret}}", "AccountId": "123456789002"}'
                aws_account_id = 123456789001
                """);

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(("AKIDPROC", Secret, "123456789002"), (credentials.AccessKeyId, credentials.SecretAccessKey, credentials.AccountId));
        Assert.Contains(_logs.GetSnapshot(), r => r.Message.Contains("(program printf, through a shell: False)", StringComparison.Ordinal));
        AssertNoSecretsLogged();
    }

    [Fact]
    public async Task GetCredentialsAsync_CredentialProcessExitsNonZero_ErrorHasCodeNotStandardError()
    {
        var source = CreateSut(config: "[default]\ncredential_process = echo 'session expired, run login' >&2; exit 7\n");

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            $"Profile: the credential_process of profile 'default' ({_files[^1].ConfigPath} line 2) failed: the external process exited with code 7; its standard error is not shown (it may hold credentials). Run the command by hand to see what it prints.",
            ex.Message);
        Assert.Equal(ProfileErrorKind.CredentialProcessFailed, ex.Kind);
        Assert.True(ex.IsRecoverable);
    }

    [Fact]
    public async Task GetCredentialsAsync_CredentialProcessPrintsSecretsOnStandardError_Withheld()
    {
        var source = CreateSut(config: $"[default]\ncredential_process = echo '{{\"SecretAccessKey\": \"{Secret}\"}}' >&2; exit 1\n");

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.EndsWith("failed: the external process exited with code 1; its standard error is not shown (it may hold credentials). Run the command by hand to see what it prints.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        AssertNoSecretsLogged();
    }

    [Fact]
    public async Task GetCredentialsAsync_CredentialProcessInvalidJson_NonRecoverable()
    {
        var source = CreateSut(config: "[default]\ncredential_process = echo 'invalid json'\n");

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Contains("could not parse response: invalid JSON in response", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsRecoverable);
    }

    [Fact]
    public async Task GetCredentialsAsync_CredentialProcessTimeout_Recoverable()
    {
        var source = CreateSut(config: "[default]\ncredential_process = sleep 30\n", processTimeout: TimeSpan.FromMilliseconds(300));

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            $"Profile: the credential_process of profile 'default' ({_files[^1].ConfigPath} line 2) failed: program 'sleep' did not finish within 0.3 s and was stopped with its child processes. Run the command by hand to see what it prints.",
            ex.Message);
        Assert.True(ex.IsRecoverable);
    }

    [Fact]
    public async Task GetCredentialsAsync_BrokenProfiles_NoSecretInAnyMessageOrLog()
    {
        string[] configs =
        [
            $"[default]\naws_secret_access_key = {Secret}\n",
            $"[default]\naws_access_key_id = {Secret}\n",
            $"[default]\nrole_arn = arn:r\nsource_profile = b\n[profile b]\naws_secret_access_key = {Secret}\naws_session_token = {SessionToken}\n",
            $"[default]\naws_secret_access_key = {Secret}\n{SessionToken}\n",
            $"[default]\ncredential_process = helper --secret {Secret}\n",
        ];

        foreach (string config in configs)
        {
            var source = CreateSut(config: config);
            _errors.Add(await Assert.ThrowsAnyAsync<AwsCredentialException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken)));
        }

        Assert.All(_errors, e => Assert.DoesNotContain(Secret, e.ToString(), StringComparison.Ordinal));
        Assert.All(_errors, e => Assert.DoesNotContain(SessionToken, e.ToString(), StringComparison.Ordinal));
        AssertNoSecretsLogged();
    }

    private ProfileCredentialSource CreateSut(
        string? config = null,
        string? credentials = null,
        Dictionary<string, string>? environment = null,
        WorkloadCredentialsOptions? options = null,
        TimeSpan? processTimeout = null,
        TimeProvider? time = null)
    {
        var files = new ProfileFiles(config, credentials);
        _files.Add(files);
        var variables = new Dictionary<string, string>(environment ?? []) { ["HOME"] = files.Home };
        var loggerFactory = new LoggerFactory([new FakeLoggerProvider(_logs)], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
        var context = NetworkSafety.Guarded(options ?? new WorkloadCredentialsOptions(), new DictionaryEnvironment(variables), time ?? TimeProvider.System, loggerFactory);
        return new ProfileCredentialSource(context, Steps, isWindows: false, processTimeout: processTimeout);
    }

    private void AssertNoSecretsLogged()
    {
        foreach (FakeLogRecord record in _logs.GetSnapshot())
        {
            Assert.DoesNotContain(Secret, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(SessionToken, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, record.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
        }
    }
}
