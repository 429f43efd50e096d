using WorkloadCredentials.AssumeRole.Internal;
using WorkloadCredentials.Container;
using WorkloadCredentials.EnvironmentKeys;
using WorkloadCredentials.InstanceMetadata;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Sts;
using WorkloadCredentials.Sts.Internal;
using WorkloadCredentials.WebIdentity.Internal;

namespace WorkloadCredentials.Chain.Internal;

/// <summary>The built-in sources a profile chain delegates to (<c>credential_source</c>, web identity, assume role).</summary>
/// <remarks>
/// The host sources of <c>credential_source</c> (<c>EcsContainer</c>, <c>Ec2InstanceMetadata</c>) are built once per factory and
/// handed out at every refresh: each holds an HTTP client (and the IMDS source what it learnt about the role), so a source per
/// refresh would open a connection per refresh and keep it until a garbage collection. The factory disposes what it built.
/// </remarks>
internal sealed class BuiltInProfileStepFactory(CredentialSourceContext context, Func<string, string?> profileSettings, IRegionHint regionHint) : IProfileStepFactory, IDisposable
{
    private const string SourceName = "Profile";

    private readonly Lazy<ImdsCredentialSource> _instanceMetadata = new(() => new ImdsCredentialSource(context, profileSettings), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lazy<ContainerCredentialSource> _container = new(() => new ContainerCredentialSource(context), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly ProfileStsStepSources _stsSteps = new();

    public IAwsCredentialSource CreateEnvironment() => new EnvironmentCredentialSource(context.Environment);

    /// <summary>Gets the one instance metadata source of this factory, built on first use (with its own IMDS client).</summary>
    public IAwsCredentialSource CreateInstanceMetadata() => _instanceMetadata.Value;

    /// <summary>Gets the one container source of this factory, built on first use.</summary>
    public IAwsCredentialSource CreateContainer() => _container.Value;

    public void Dispose()
    {
        if (_container.IsValueCreated)
        {
            _container.Value.Dispose();
        }

        if (_instanceMetadata.IsValueCreated)
        {
            _instanceMetadata.Value.Dispose();
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
        return WebIdentitySourceFactory.Create(context, settings, ResolveSts(request.Sts), regionHint);
    }

    private IAwsCredentialSource BuildAssumeRole(IAwsCredentialSource source, ProfileAssumeRoleRequest request)
    {
        AssumeRoleSettings settings = AssumeRoleSettings.Create(
            request.RoleArn,
            request.ExternalId,
            request.SessionName,
            request.Duration,
            names: new AssumeRoleSettingNames("role_arn", "external_id", "role_session_name", "duration_seconds", "policy", "tags", "source_identity"));
        return AssumeRoleSourceFactory.Create(context, settings, ResolveSts(request.Sts), source, regionHint);
    }

    /// <summary>Options and environment first, then what the profile says (its region, endpoint_url, [services] sts section).</summary>
    private StsClientSettings ResolveSts(ProfileStsSettings profile)
    {
        StsClientSettings sts = StsSettingsResolver.Resolve(context.Options, context.Environment, allowAnyHttpHost: context.AllowPlainHttpToAnyHost, SourceName);
        sts = StsSettingsResolver.WithProfileFallbacks(
            sts,
            profile.Region,
            "region in the shared config profile",
            profile.Endpoint?.OriginalString,
            profile.EndpointOrigin ?? "endpoint_url in the shared config profile",
            profileSettings("sts_regional_endpoints"),
            "sts_regional_endpoints in the shared config profile",
            allowAnyHttpHost: context.AllowPlainHttpToAnyHost,
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
