using System.Globalization;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.Sso.Internal;

/// <summary>
/// The portal and SSO OIDC endpoints: a configured endpoint (<c>AWS_ENDPOINT_URL_SSO</c> / <c>AWS_ENDPOINT_URL_SSO_OIDC</c>,
/// <c>AWS_ENDPOINT_URL</c>, the profile's <c>[services]</c> and <c>endpoint_url</c>, resolved by the profile with the precedence of
/// every other service) validated as STS endpoints are, else the AWS endpoint rules for the <c>sso_region</c>:
/// <c>portal.sso[-fips].REGION.amazonaws.com</c> (<c>api.aws</c> dual-stack), <c>oidc[-fips].REGION.amazonaws.com</c>.
/// </summary>
internal static class SsoEndpointResolver
{
    public static SsoEndpoint Portal(SsoProfileRequest request, bool allowAnyHttpHost) =>
        Resolve(request, request.PortalEndpoint, request.PortalEndpointOrigin, "portal.sso", allowAnyHttpHost);

    public static SsoEndpoint Oidc(SsoProfileRequest request, bool allowAnyHttpHost) =>
        Resolve(request, request.OidcEndpoint, request.OidcEndpointOrigin, "oidc", allowAnyHttpHost);

    private static SsoEndpoint Resolve(SsoProfileRequest request, string? configured, string? origin, string service, bool allowAnyHttpHost)
    {
        if (configured is not null)
        {
            string setting = origin ?? "the configured endpoint";
            return StsValidation.EndpointUrl(configured.Trim(), setting, allowAnyHttpHost, out Uri? url) is { } error
                ? throw Invalid(request, error)
                : new SsoEndpoint(url!, setting);
        }

        if (StsValidation.Region(request.Region, "sso_region") is { } regionError)
        {
            throw Invalid(request, regionError);
        }

        string host = request.UseFips ? service + "-fips" : service;
        string suffix = StsEndpointResolver.DnsSuffix(request.Region, request.UseDualStack);
        var endpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"https://{host}.{request.Region}.{suffix}"));
        return new SsoEndpoint(endpoint, $"sso_region {request.Region} of profile '{request.ProfileName}'");
    }

    private static AwsCredentialException Invalid(SsoProfileRequest request, string error) =>
        new($"Sso: profile '{request.ProfileName}'{request.Location}: {error} Fix the setting.", SsoConstants.SourceName, isRecoverable: false);
}
