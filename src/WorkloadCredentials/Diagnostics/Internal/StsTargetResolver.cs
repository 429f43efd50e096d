using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Sts;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.Diagnostics.Internal;

/// <summary>
/// Resolves the STS region and endpoint of <c>sts:GetCallerIdentity</c> from the settings the library reads: the options'
/// <c>Region</c>, <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the profile's <c>region</c>; the options' <c>Sts:EndpointUrl</c>,
/// <c>AWS_ENDPOINT_URL_STS</c>, <c>AWS_ENDPOINT_URL</c>, the profile's <c>[services]</c> and <c>endpoint_url</c> (with
/// <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c>), as the SDKs order them.
/// </summary>
internal static class StsTargetResolver
{
    private const string StsServiceId = "sts";

    /// <exception cref="AwsCredentialException">A shared file cannot be read or parsed.</exception>
    /// <exception cref="CallerIdentityException">The configured endpoint is not usable.</exception>
    public static async Task<StsTarget> ResolveAsync(CredentialSourceContext context, CancellationToken cancellationToken)
    {
        WorkloadCredentialsOptions options = context.Options;
        ProfileFileLocations locations = ProfileFileLocator.Locate(context.Environment, options.Profile, OperatingSystem.IsWindows());
        ProfileSet set = await ProfileFileReader.ReadAsync(locations, cancellationToken).ConfigureAwait(false);
        _ = set.Profiles.TryGetValue(locations.ProfileName, out ProfileSection? profile);

        (string region, string regionOrigin) = ResolveRegion(options, context.Environment, profile);
        ConfiguredEndpoint? configured = ProfileEndpointResolver.Resolve(
            StsServiceId, context.Environment, set, profile, options.Sts?.EndpointUrl, codeEndpointOrigin: StsConstants.OptionEndpointUrl);
        Uri? endpoint = configured is null ? null : Validate(configured);
        return new StsTarget(region, regionOrigin, endpoint, configured?.Origin);
    }

    private static (string Region, string Origin) ResolveRegion(WorkloadCredentialsOptions options, IEnvironment environment, ProfileSection? profile)
    {
        if (!string.IsNullOrWhiteSpace(options.Region))
        {
            return (options.Region.Trim(), StsConstants.OptionRegion);
        }

        foreach (string variable in (string[])[StsConstants.EnvRegion, StsConstants.EnvDefaultRegion])
        {
            if (environment.GetNonBlank(variable) is { } value)
            {
                return (value, variable);
            }
        }

        if (profile?.GetValue(ProfileConstants.Region)?.Trim() is { Length: > 0 } profileRegion)
        {
            return (profileRegion, $"region of profile '{profile.Name}'");
        }

        return (StsTarget.DefaultRegion, "the default");
    }

    /// <summary>
    /// An absolute http(s) URL without user information; plain http only to a loopback host, because the call carries the session token.
    /// The URL is quoted as the library quotes it (<see cref="StsValidation.RedactUrl"/>): never its user information or query.
    /// </summary>
    private static Uri Validate(ConfiguredEndpoint configured)
    {
        if (!Uri.TryCreate(configured.Url, UriKind.Absolute, out Uri? url)
            || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            || string.IsNullOrEmpty(url.Host))
        {
            throw new CallerIdentityException($"the STS endpoint '{StsValidation.RedactUrl(configured.Url)}' from {configured.Origin} is not an absolute https:// URL such as https://sts.eu-west-1.amazonaws.com. Fix the setting.");
        }

        if (url.UserInfo.Length > 0)
        {
            throw new CallerIdentityException($"the STS endpoint from {configured.Origin} must not carry user information. Fix the setting.");
        }

        if (url.Scheme == Uri.UriSchemeHttp && !StsValidation.IsLoopback(url))
        {
            throw new CallerIdentityException(
                $"the STS endpoint '{StsValidation.RedactUrl(configured.Url)}' from {configured.Origin} uses plain http:// for host '{url.Host}': the call carries the session token, so use https:// (plain http:// is accepted only for localhost, 127.0.0.1 and ::1).");
        }

        return url;
    }
}
