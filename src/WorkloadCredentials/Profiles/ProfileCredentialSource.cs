using System.Globalization;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Profiles.Internal;
using K = WorkloadCredentials.Profiles.ProfileConstants;

namespace WorkloadCredentials.Profiles;

/// <summary>
/// Credentials from the shared config and credentials files (<c>~/.aws/config</c>, <c>~/.aws/credentials</c>): static keys,
/// <c>credential_process</c>, <c>credential_source</c>, <c>web_identity_token_file</c>, IAM Identity Center (<c>sso_session</c>,
/// <c>sso_start_url</c>), and chains of roles through
/// <c>source_profile</c> (with <c>external_id</c>, <c>role_session_name</c>, <c>duration_seconds</c>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Every call reads the files again and runs the whole chain (the cache wraps this source).</description></item>
/// <item><description>Unavailable (the chain moves on) when no profile is named and the default profile is missing or holds only
/// configuration (such as <c>region</c>), or when a named profile holds only configuration.</description></item>
/// <item><description>Failed (the chain stops) when a named profile is missing, a file is malformed, or any step of the profile's chain
/// is broken or fails: a profile never falls through to a different identity.</description></item>
/// </list>
/// </remarks>
internal sealed class ProfileCredentialSource : IAwsCredentialSource, IBuiltFromContext
{
    private const string StsServiceId = "sts";

    private readonly CredentialSourceContext _context;
    private readonly IProfileStepFactory _steps;
    private readonly ICredentialProcessRunner _processRunner;
    private readonly bool _isWindows;
    private readonly TimeSpan _processTimeout;
    private readonly CredentialTelemetry _telemetry;
    private readonly Func<string?>? _webIdentityFirst;
    private readonly DisposeOnce _disposal = new(K.SourceName);

    /// <param name="context">The options, environment, clock and logging.</param>
    /// <param name="steps">Builds the sources the profile's steps delegate to.</param>
    /// <param name="processRunner">Runs <c>credential_process</c>.</param>
    /// <param name="isWindows">Whether the shell rules of Windows apply.</param>
    /// <param name="processTimeout">How long a <c>credential_process</c> may run.</param>
    /// <param name="webIdentityFirst">
    /// Names the web identity setting of the environment when there is one and the profile was not chosen explicitly; a profile that
    /// holds only keys or a <c>credential_process</c> (no role) then gives way to it, as in botocore and the AWS SDKs.
    /// </param>
    public ProfileCredentialSource(
        CredentialSourceContext context,
        IProfileStepFactory steps,
        ICredentialProcessRunner? processRunner = null,
        bool? isWindows = null,
        TimeSpan? processTimeout = null,
        Func<string?>? webIdentityFirst = null)
    {
        _webIdentityFirst = webIdentityFirst;
        _context = Throw.IfNull(context);
        _steps = Throw.IfNull(steps);
        _isWindows = isWindows ?? OperatingSystem.IsWindows();
        _processRunner = processRunner ?? new CredentialProcessRunner(context.TimeProvider, _isWindows);
        _processTimeout = processTimeout ?? K.CredentialProcessTimeout;
        _telemetry = context.CreateTelemetry("WorkloadCredentials.Profiles.ProfileCredentialSource");
    }

    public static string SourceName => K.SourceName;

    /// <summary>Disposes the step factory (the sources it built for the profile's steps, each built once); idempotent.</summary>
    public void Dispose()
    {
        if (_disposal.TryDispose())
        {
            (_steps as IDisposable)?.Dispose();
        }
    }

    /// <inheritdoc/>
    public CredentialSourceContext? BuiltFrom => _context;

    public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        _disposal.ThrowIfDisposed();
        ProfilePlan plan = await ResolveAsync(cancellationToken).ConfigureAwait(false);
        if (plan.Chain.Base is CredentialProcessProfileStep looping && CredentialProcessLoop.IsRunningAbove(_context.Environment, looping))
        {
            throw new CredentialUnavailableException(CredentialProcessLoop.Message(looping.ProfileName, looping.Location, detected: true), K.SourceName);
        }

        if (plan.Chain.Roles.Count == 0 && plan.Chain.Base is StaticKeysProfileStep or CredentialProcessProfileStep or SsoProfileStep
            && _webIdentityFirst?.Invoke() is { } webIdentitySetting)
        {
            throw new CredentialUnavailableException(
                $"Profile: profile '{plan.Chain.ProfileName}' holds no role ({plan.Chain.Base.Describe()}), and {webIdentitySetting} configures web identity, which comes first (as in botocore and the AWS SDKs: an image's baked keys never override the pod's IRSA role). To use the profile instead, choose it explicitly (WorkloadCredentialsOptions.Profile), or give it a role_arn.",
                K.SourceName);
        }

        AwsCredentials credentials = await RunBaseAsync(plan, cancellationToken).ConfigureAwait(false);

        foreach (AssumeRoleProfileStep role in plan.Chain.Roles)
        {
            var request = new ProfileAssumeRoleRequest(
                role.RoleArn,
                role.ExternalId,
                role.SessionName,
                role.DurationSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                plan.Sts);
            AwsCredentials sourceCredentials = credentials;
            credentials = await ProfileStepRunner.RunAsync(
                () => _steps.CreateAssumeRole(new FixedCredentialSource(sourceCredentials), request), role.Describe(), role.Location, cancellationToken).ConfigureAwait(false);
        }

        return credentials.SourceName == K.SourceName ? credentials : credentials.WithSourceName(K.SourceName);
    }

    /// <summary>Reads the files and decides what to do, without fetching anything (also used to describe the source).</summary>
    /// <exception cref="CredentialUnavailableException">No profile applies.</exception>
    /// <exception cref="AwsCredentialException">A named profile is missing, a file is malformed, or the chain is broken.</exception>
    internal async ValueTask<ProfilePlan> ResolveAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IEnvironment environment = _context.Environment;
        ProfileFileLocations locations = ProfileFileLocator.Locate(environment, _context.Options.Profile, _isWindows);
        if (locations.ConfigFilePath is null && locations.CredentialsFilePath is null && locations.ProfileNameOrigin == ProfileNameOrigin.Default)
        {
            throw Unavailable("no home directory is known (HOME is not set) and neither AWS_CONFIG_FILE nor AWS_SHARED_CREDENTIALS_FILE is set.");
        }

        ProfileSet set = await ProfileFileReader.ReadAsync(locations, cancellationToken).ConfigureAwait(false);
        _telemetry.ProfileFilesRead(locations.ConfigFilePath ?? "(no config file)", locations.CredentialsFilePath ?? "(no credentials file)", set.Profiles.Count);

        string name = locations.ProfileName;
        if (!set.Profiles.TryGetValue(name, out ProfileSection? profile))
        {
            if (locations.ProfileNameOrigin == ProfileNameOrigin.Default)
            {
                throw Unavailable($"no default profile in {set.DescribeFiles()}, and neither AWS_PROFILE nor WorkloadCredentialsOptions.Profile names one.");
            }

            string fix = locations.ProfileNameOrigin == ProfileNameOrigin.Environment
                ? "or set AWS_PROFILE to an existing profile"
                : "or set WorkloadCredentialsOptions.Profile to an existing profile";
            throw new ProfileConfigurationException(
                ProfileErrorKind.ProfileNotFound,
                $"Profile: profile '{name}' ({locations.DescribeProfileNameOrigin()}) was not found in {set.DescribeFiles()}. Add [profile {name}] to the config file or [{name}] to the credentials file, {fix}.");
        }

        if (!ProfileChainResolver.HasCredentialSettings(profile))
        {
            throw Unavailable(
                $"profile '{name}' ({locations.DescribeProfileNameOrigin()}) in {profile.DescribeFiles()} has no credential settings ({string.Join(", ", K.CredentialSettings[..8])}, ...), only configuration.");
        }

        ProfileChain chain = ProfileChainResolver.Resolve(set, name);
        ProfileStsSettings sts = ResolveSts(environment, set, profile);
        if (_telemetry.IsDebugEnabled)
        {
            _telemetry.ProfileChainResolved(name, locations.DescribeProfileNameOrigin(), chain.Describe());
        }

        return new ProfilePlan(locations, set, chain, sts);
    }

    private ProfileStsSettings ResolveSts(IEnvironment environment, ProfileSet set, ProfileSection profile)
    {
        string? region = !string.IsNullOrWhiteSpace(_context.Options.Region)
            ? _context.Options.Region.Trim()
            : environment.GetNonBlank(EnvironmentVariables.Region) ?? environment.GetNonBlank(EnvironmentVariables.DefaultRegion) ?? profile.GetValue(K.Region)?.Trim();

        Uri? endpoint = null;
        ConfiguredEndpoint? configured = ProfileEndpointResolver.Resolve(StsServiceId, environment, set, profile);
        if (configured is not null)
        {
            if (!Uri.TryCreate(configured.Url, UriKind.Absolute, out endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
            {
                throw new ProfileConfigurationException(
                    ProfileErrorKind.InvalidEndpoint,
                    $"Profile: the STS endpoint '{configured.Url}' from {configured.Origin} is not an absolute http or https URL. Fix the setting.");
            }
        }

        return new ProfileStsSettings(
            region,
            endpoint,
            configured?.Origin,
            Switch(environment, EnvironmentVariables.UseFipsEndpoint, profile, K.UseFipsEndpoint),
            Switch(environment, EnvironmentVariables.UseDualStackEndpoint, profile, K.UseDualStackEndpoint));
    }

    private static bool? Switch(IEnvironment environment, string variable, ProfileSection profile, string key)
    {
        string? value = environment.GetNonBlank(variable) ?? profile.GetValue(key)?.Trim();
        return value is null ? null : string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
    }

    private async ValueTask<AwsCredentials> RunBaseAsync(ProfilePlan plan, CancellationToken cancellationToken)
    {
        ProfileBaseStep step = plan.Chain.Base;
        switch (step)
        {
            case StaticKeysProfileStep keys:
                ThrowIfMalformed(keys);
                return new AwsCredentials(keys.AccessKeyId, keys.SecretAccessKey, keys.SessionToken, null, K.SourceName) { AccountId = keys.AccountId };

            case CredentialProcessProfileStep process:
                return await RunProcessAsync(process, cancellationToken).ConfigureAwait(false);

            case NamedSourceProfileStep named:
                return await ProfileStepRunner.RunAsync(
                    () => _steps.CreateCredentialSource(named.Source), named.Describe(), named.Location, cancellationToken).ConfigureAwait(false);

            case WebIdentityProfileStep webIdentity:
                var webIdentityRequest = new ProfileWebIdentityRequest(webIdentity.RoleArn, webIdentity.TokenFile, webIdentity.SessionName, plan.Sts);
                return await ProfileStepRunner.RunAsync(
                    () => _steps.CreateWebIdentity(webIdentityRequest), webIdentity.Describe(), webIdentity.Location, cancellationToken).ConfigureAwait(false);

            case SsoProfileStep sso:
                SsoProfileRequest ssoRequest = SsoRequest(plan, sso);
                return await ProfileStepRunner.RunAsync(() => _steps.CreateSso(ssoRequest), sso.Describe(), sso.Location, cancellationToken).ConfigureAwait(false);

            default:
                throw new ProfileConfigurationException(ProfileErrorKind.StepFailed, $"Profile: profile '{step.ProfileName}'{step.Location}: {step.Describe()} is not a step this source runs.");
        }
    }

    /// <summary>The IAM Identity Center source of a plan that starts with SSO settings (for <c>describe</c>), else <see langword="null"/>.</summary>
    internal IAwsCredentialSource? SsoSourceFor(ProfilePlan plan) => plan.Chain.Base is SsoProfileStep sso ? _steps.CreateSso(SsoRequest(plan, sso)) : null;

    private SsoProfileRequest SsoRequest(ProfilePlan plan, SsoProfileStep sso) => ProfileSsoRequests.Create(plan, sso, _context.Environment, _isWindows);

    private async ValueTask<AwsCredentials> RunProcessAsync(CredentialProcessProfileStep step, CancellationToken cancellationToken)
    {
        try
        {
            CredentialProcessResult result = await _processRunner.RunAsync(
                step.CommandLine, _processTimeout, CredentialProcessLoop.ChildEnvironment(_context.Environment, step), cancellationToken).ConfigureAwait(false);
            _telemetry.CredentialProcessExited(step.ProfileName, result.Program, result.UsedShell, result.ExitCode, (long)result.Elapsed.TotalMilliseconds);
            if (result.ExitCode != 0)
            {
                LogStandardError(step, result);
                if (CredentialProcessLoop.ReportedIn(result.StandardError, step.ProfileName))
                {
                    throw new CredentialUnavailableException(CredentialProcessLoop.Message(step.ProfileName, step.Location, detected: false), K.SourceName);
                }

                throw new CredentialProcessException(
                    $"the external process exited with code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}; its standard error is not shown (it may hold credentials)",
                    isRecoverable: true);
            }

            try
            {
                return CredentialProcessOutputParser.Parse(result.StandardOutput, K.SourceName, step.AccountId, _context.TimeProvider.GetUtcNow());
            }
            catch (CredentialProcessException)
            {
                LogStandardError(step, result);
                throw;
            }
        }
        catch (CredentialProcessException ex)
        {
            throw new ProfileConfigurationException(
                ProfileErrorKind.CredentialProcessFailed,
                $"Profile: the credential_process of profile '{step.ProfileName}'{step.Location} failed: {ex.Message}. Run the command by hand to see what it prints.",
                ex.IsRecoverable,
                ex);
        }
    }

    /// <summary>A failed process's standard error never reaches a message: at most a bounded, masked, escaped Debug record.</summary>
    private void LogStandardError(CredentialProcessProfileStep step, CredentialProcessResult result)
    {
        if (_telemetry.IsDebugEnabled)
        {
            _telemetry.CredentialProcessStandardError(step.ProfileName, CredentialProcessStandardError.Excerpt(result.StandardError));
        }
    }

    /// <summary>Static keys in a file are checked like every source's: the setting and the problem are named, never the value.</summary>
    private static void ThrowIfMalformed(StaticKeysProfileStep keys)
    {
        (string Setting, string? Problem) malformed =
            CredentialValueRules.Problem(keys.AccessKeyId, CredentialValueRules.AccessKeyId) is { } keyIdProblem ? (K.AccessKeyId, keyIdProblem)
            : CredentialValueRules.Problem(keys.SecretAccessKey, CredentialValueRules.SecretAccessKey) is { } secretProblem ? (K.SecretAccessKey, secretProblem)
            : (K.SessionToken, CredentialValueRules.Problem(keys.SessionToken, CredentialValueRules.SessionToken));
        if (malformed.Problem is { } problem)
        {
            throw new ProfileConfigurationException(
                ProfileErrorKind.FileFormat,
                $"Profile: the static keys of profile '{keys.ProfileName}'{keys.Location}: {malformed.Setting} is malformed: {problem}. Set it to the value AWS issued, with no quotes, spaces or line breaks (the files take values as written).");
        }
    }

    /// <summary>
    /// Creates and runs one step; a step whose settings are invalid (its creation throws) fails like a step that runs and fails,
    /// so the message names the profile, the file and the line.
    /// </summary>
    private static CredentialUnavailableException Unavailable(string reason) =>
        new($"Profile: {reason} Set AWS_PROFILE, or add credentials to the default profile, to use shared config profiles.", K.SourceName);
}
