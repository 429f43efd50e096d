using WorkloadCredentials.AssumeRole.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Sts;
using WorkloadCredentials.Sts.Internal;
using WorkloadCredentials.WebIdentity.Internal;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>The built-in sources a profile chain delegates to (<c>credential_source</c>, web identity, assume role).</summary>
/// <remarks>
/// Every source is built once per factory and handed out at every refresh: each holds an HTTP or STS client (and the IMDS source
/// what it learnt about the role), so a source per refresh would open a connection per refresh and keep it until a garbage
/// collection. The <c>credential_source</c> sources come from the registered source definitions (through
/// <see cref="SourceBuildContext.CreateForProfile"/>): this folder knows none of them. The factory disposes what it built.
/// </remarks>
internal sealed class BuiltInProfileStepFactory : IProfileStepFactory, IDisposable
{
    private const string SourceName = "Profile";

    private readonly SourceBuildContext _build;
    private readonly object _lock = new();
    private readonly Dictionary<ProfileCredentialSourceKind, IAwsCredentialSource> _hostSources = [];
    private readonly Dictionary<SsoProfileRequest, IAwsCredentialSource> _ssoSources = [];
    private readonly ProfileStsStepSources _stsSteps = new();
    private bool _disposed;

    /// <param name="build">The context, the selected profile's settings, the region hint and the definitions' hooks.</param>
    public BuiltInProfileStepFactory(SourceBuildContext build)
    {
        _build = Throw.IfNull(build);
    }

    private CredentialSourceContext Context => _build.Context;

    /// <summary>Gets the one source of this factory for a <c>credential_source</c> value, built on first use.</summary>
    public IAwsCredentialSource CreateCredentialSource(ProfileCredentialSourceKind kind)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_hostSources.TryGetValue(kind, out IAwsCredentialSource? source))
            {
                source = _build.CreateForProfile(kind.ToString())
                    ?? throw new AwsCredentialException($"Profile: no credential source answers to credential_source = {kind}.", SourceName, isRecoverable: false);
                _hostSources.Add(kind, source);
            }

            return source;
        }
    }

    /// <summary>
    /// Gets the one source of this factory for a profile's IAM Identity Center settings, built on first use (with its portal and OIDC
    /// clients) by the definition that serves them (through <see cref="SourceBuildContext.CreateForSsoProfile"/>).
    /// </summary>
    public IAwsCredentialSource CreateSso(SsoProfileRequest request)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_ssoSources.TryGetValue(request, out IAwsCredentialSource? source))
            {
                source = _build.CreateForSsoProfile(request)
                    ?? throw new AwsCredentialException("Profile: no credential source serves IAM Identity Center (sso_*) settings.", SourceName, isRecoverable: false);
                _ssoSources.Add(request, source);
            }

            return source;
        }
    }

    public void Dispose()
    {
        IAwsCredentialSource[] built;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            built = [.. _hostSources.Values, .. _ssoSources.Values];
            _hostSources.Clear();
            _ssoSources.Clear();
        }

        foreach (IAwsCredentialSource source in built)
        {
            (source as IDisposable)?.Dispose();
        }

        _stsSteps.Dispose();
    }

    /// <summary>Gets the web identity source of this request, built once (with its STS client) and reused at every refresh.</summary>
    public IAwsCredentialSource CreateWebIdentity(ProfileWebIdentityRequest request) => _stsSteps.WebIdentity(request, BuildWebIdentity);

    /// <summary>Gets the assume-role source of this request, built once (with its STS client) and reused at every refresh, signing with <paramref name="source"/>.</summary>
    public IAwsCredentialSource CreateAssumeRole(IAwsCredentialSource source, ProfileAssumeRoleRequest request) =>
        _stsSteps.AssumeRole(request, source, BuildAssumeRole);

    private IAwsCredentialSource BuildWebIdentity(ProfileWebIdentityRequest request)
    {
        WebIdentitySettings settings = WebIdentitySettings.Create(
            request.RoleArn,
            request.TokenFile,
            request.SessionName,
            duration: null,
            "role_arn",
            "web_identity_token_file",
            "role_session_name",
            "duration_seconds",
            StsConstants.WebIdentitySourceName);
        return WebIdentitySourceFactory.Create(Context, settings, ResolveSts(request.Sts), _build.RegionHint);
    }

    private IAwsCredentialSource BuildAssumeRole(IAwsCredentialSource source, ProfileAssumeRoleRequest request)
    {
        AssumeRoleSettings settings = AssumeRoleSettings.Create(
            request.RoleArn,
            request.ExternalId,
            request.SessionName,
            request.Duration,
            names: new AssumeRoleSettingNames("role_arn", "external_id", "role_session_name", "duration_seconds", "policy", "tags", "source_identity"));
        return AssumeRoleSourceFactory.Create(Context, settings, ResolveSts(request.Sts), source, _build.IsRoleSource, _build.RegionHint);
    }

    /// <summary>Options and environment first, then what the profile says (its region, endpoint_url, [services] sts section).</summary>
    private StsClientSettings ResolveSts(ProfileStsSettings profile)
    {
        StsClientSettings sts = StsSettingsResolver.Resolve(Context.Options, Context.Environment, allowAnyHttpHost: Context.AllowPlainHttpToAnyHost, SourceName);
        sts = StsSettingsResolver.WithProfileFallbacks(
            sts,
            profile.Region,
            "region in the shared config profile",
            profile.Endpoint?.OriginalString,
            profile.EndpointOrigin ?? "endpoint_url in the shared config profile",
            _build.ProfileSettings("sts_regional_endpoints"),
            "sts_regional_endpoints in the shared config profile",
            allowAnyHttpHost: Context.AllowPlainHttpToAnyHost,
            SourceName);
        if (profile.UseFips is { } fips)
        {
            sts = sts with { UseFips = fips };
        }

        if (profile.UseDualStack is { } dualStack)
        {
            sts = sts with { UseDualStack = dualStack };
        }

        return sts;
    }
}
