using WorkloadCredentials.Internal;
using K = WorkloadCredentials.Profiles.ProfileConstants;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// The configured endpoint of a service, with the SDKs' precedence (botocore <c>configured_endpoint_urls/profile-tests.json</c>):
/// an endpoint given in code; nothing when code, <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> or the profile's
/// <c>ignore_configured_endpoint_urls</c> says to ignore configured endpoints; then <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>,
/// <c>AWS_ENDPOINT_URL</c>, the service's <c>endpoint_url</c> in the profile's <c>[services]</c> section, the profile's
/// <c>endpoint_url</c>. <see langword="null"/> means "no configured endpoint: use the SDK's default for the region".
/// </summary>
internal static class ProfileEndpointResolver
{
    public const string IgnoreEnvironmentVariable = EnvironmentVariables.IgnoreConfiguredEndpointUrls;
    public const string GlobalEnvironmentVariable = EnvironmentVariables.EndpointUrl;

    /// <param name="serviceId">The service id as the SDKs spell it, for example <c>sts</c> or <c>s3</c>.</param>
    /// <param name="environment">The environment.</param>
    /// <param name="set">The shared config, for <c>[services]</c> sections.</param>
    /// <param name="profile">The selected profile, or <see langword="null"/> when there is none.</param>
    /// <param name="codeEndpoint">An endpoint given in code (options), which always wins.</param>
    /// <param name="codeIgnoresConfigured">Whether code says to ignore configured endpoints.</param>
    /// <param name="codeEndpointOrigin">The name of the option that gave <paramref name="codeEndpoint"/>, for messages.</param>
    public static ConfiguredEndpoint? Resolve(
        string serviceId,
        IEnvironment environment,
        ProfileSet set,
        ProfileSection? profile,
        string? codeEndpoint = null,
        bool codeIgnoresConfigured = false,
        string codeEndpointOrigin = "options")
    {
        if (!string.IsNullOrWhiteSpace(codeEndpoint))
        {
            return new ConfiguredEndpoint(codeEndpoint.Trim(), codeEndpointOrigin);
        }

        if (codeIgnoresConfigured || environment.GetFlag(IgnoreEnvironmentVariable) || profile?.GetFlag(K.IgnoreConfiguredEndpointUrls) == true)
        {
            return null;
        }

        string serviceVariable = ServiceEnvironmentVariable(serviceId);
        if (environment.GetNonBlank(serviceVariable) is { } serviceUrl)
        {
            return new ConfiguredEndpoint(serviceUrl, serviceVariable);
        }

        if (environment.GetNonBlank(GlobalEnvironmentVariable) is { } globalUrl)
        {
            return new ConfiguredEndpoint(globalUrl, GlobalEnvironmentVariable);
        }

        if (profile is null)
        {
            return null;
        }

        if (profile.GetValue(K.Services)?.Trim() is { } servicesName
            && set.Services.TryGetValue(servicesName, out ProfileSection? services)
            && services.GetNonBlank(ServiceKey(serviceId)) is { } serviceSettings
            && ProfileSection.ParseSubProperties(serviceSettings.Value).TryGetValue(K.EndpointUrl, out string? sectionUrl)
            && !string.IsNullOrWhiteSpace(sectionUrl))
        {
            return new ConfiguredEndpoint(sectionUrl, $"endpoint_url of {ServiceKey(serviceId)} in [services {servicesName}]{serviceSettings.Location}");
        }

        return profile.GetNonBlank(K.EndpointUrl) is { } profileUrl
            ? new ConfiguredEndpoint(profileUrl.Value.Trim(), $"endpoint_url of profile '{profile.Name}'{profileUrl.Location}")
            : null;
    }

    /// <summary><c>AWS_ENDPOINT_URL_</c> and the service id in upper case, spaces and hyphens as underscores.</summary>
    public static string ServiceEnvironmentVariable(string serviceId) =>
        GlobalEnvironmentVariable + "_" + serviceId.Trim().Replace(' ', '_').Replace('-', '_').ToUpperInvariant();

    /// <summary>The key of a service in a <c>[services]</c> section: the service id in lower case, spaces and hyphens as underscores.</summary>
    public static string ServiceKey(string serviceId) => serviceId.Trim().Replace(' ', '_').Replace('-', '_').ToLowerInvariant();
}
