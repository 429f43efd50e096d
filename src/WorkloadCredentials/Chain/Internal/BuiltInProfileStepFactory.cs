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
internal sealed class BuiltInProfileStepFactory(CredentialSourceContext context, Func<string, string?> profileSettings, IRegionHint regionHint) : IProfileStepFactory
{
    private const string SourceName = "Profile";

    public IAwsCredentialSource CreateEnvironment() => new EnvironmentCredentialSource(context.Environment);

    public IAwsCredentialSource CreateInstanceMetadata() => new ImdsCredentialSource(context, profileSettings);

    public IAwsCredentialSource CreateContainer() => new ContainerCredentialSource(context);

    public IAwsCredentialSource CreateWebIdentity(ProfileWebIdentityRequest request)
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

    public IAwsCredentialSource CreateAssumeRole(IAwsCredentialSource source, ProfileAssumeRoleRequest request)
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
        StsClientSettings sts = StsSettingsResolver.Resolve(context.Options, context.Environment, allowAnyHttpHost: context.HttpHandler is not null, SourceName);
        sts = StsSettingsResolver.WithProfileFallbacks(
            sts,
            profile.Region,
            "region in the shared config profile",
            profile.Endpoint?.OriginalString,
            profile.EndpointOrigin ?? "endpoint_url in the shared config profile",
            profileSettings("sts_regional_endpoints"),
            "sts_regional_endpoints in the shared config profile",
            allowAnyHttpHost: context.HttpHandler is not null,
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
