using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Turns a profile's IAM Identity Center step into the request the SSO source serves: the session or start URL, the account and role,
/// the home directory of the token cache (from the environment seam: <c>HOME</c>, on Windows <c>USERPROFILE</c>), and the portal and
/// OIDC endpoints configured with the precedence of every service (<c>AWS_ENDPOINT_URL_SSO</c>, <c>AWS_ENDPOINT_URL_SSO_OIDC</c>,
/// <c>AWS_ENDPOINT_URL</c>, the profile's <c>[services]</c> and <c>endpoint_url</c>).
/// </summary>
internal static class ProfileSsoRequests
{
    public const string PortalServiceId = "SSO";
    public const string OidcServiceId = "SSO OIDC";

    public static SsoProfileRequest Create(ProfilePlan plan, SsoProfileStep step, IEnvironment environment, bool isWindows)
    {
        ProfileSection? profile = plan.Set.Profiles.GetValueOrDefault(step.ProfileName);
        ConfiguredEndpoint? portal = ProfileEndpointResolver.Resolve(PortalServiceId, environment, plan.Set, profile);
        ConfiguredEndpoint? oidc = ProfileEndpointResolver.Resolve(OidcServiceId, environment, plan.Set, profile);
        return new SsoProfileRequest(
            step.ProfileName,
            step.Location,
            step.SessionName,
            step.StartUrl!,
            step.Region!,
            step.AccountId,
            step.RoleName,
            ProfileFileLocator.GetHomeDirectory(environment, isWindows))
        {
            PortalEndpoint = portal?.Url,
            PortalEndpointOrigin = portal?.Origin,
            OidcEndpoint = oidc?.Url,
            OidcEndpointOrigin = oidc?.Origin,
            UseFips = plan.Sts.UseFips == true,
            UseDualStack = plan.Sts.UseDualStack == true,
        };
    }
}
