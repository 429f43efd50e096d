using System.Net;
using System.Net.Sockets;

namespace WorkloadCredentials.Container.Internal;

/// <summary>
/// Chooses and checks the container credentials endpoint as the AWS SDKs do (smithy-rs <c>ecs-tests.json</c>): a relative URI
/// on <c>http://169.254.170.2</c> wins over a full URI; a full URI over plain HTTP must name loopback, the ECS host or the EKS
/// Pod Identity hosts; any host over HTTPS.
/// </summary>
internal static class ContainerEndpoint
{
    private static readonly IPAddress EcsAddress = IPAddress.Parse(ContainerConstants.EcsHost);
    private static readonly IPAddress EksAddressIPv4 = IPAddress.Parse(ContainerConstants.EksHostIPv4);
    private static readonly IPAddress EksAddressIPv6 = IPAddress.Parse(ContainerConstants.EksHostIPv6);

    /// <summary>Resolves the endpoint.</summary>
    /// <param name="relativeUri">The relative URI, or <see langword="null"/>.</param>
    /// <param name="fullUri">The full URI, or <see langword="null"/>.</param>
    /// <param name="relativeSetting">Where <paramref name="relativeUri"/> came from, for messages.</param>
    /// <param name="fullSetting">Where <paramref name="fullUri"/> came from, for messages.</param>
    /// <exception cref="CredentialUnavailableException">Neither is set.</exception>
    /// <exception cref="AwsCredentialException">The URI is invalid or not allowed (not recoverable).</exception>
    public static Uri Resolve(
        string? relativeUri,
        string? fullUri,
        string relativeSetting = ContainerConstants.RelativeUriVariable,
        string fullSetting = ContainerConstants.FullUriVariable)
    {
        if (!string.IsNullOrWhiteSpace(relativeUri))
        {
            string relative = relativeUri.Trim();
            string path = relative.StartsWith('/') ? relative : "/" + relative;
            if (Uri.TryCreate("http://" + ContainerConstants.EcsHost + path, UriKind.Absolute, out Uri? uri)
                && string.Equals(uri.Host, ContainerConstants.EcsHost, StringComparison.Ordinal)
                && uri.IsDefaultPort && string.IsNullOrEmpty(uri.UserInfo))
            {
                return uri;
            }

            throw Invalid($"{relativeSetting} is '{relative}', which is not a path (and query) on http://{ContainerConstants.EcsHost}. Set it to the path the ECS agent gives, such as /v2/credentials/<id>, or unset it.");
        }

        if (string.IsNullOrWhiteSpace(fullUri))
        {
            throw new CredentialUnavailableException(
                $"{ContainerConstants.SourceName}: neither {ContainerConstants.RelativeUriVariable} nor {ContainerConstants.FullUriVariable} is set (no environment variables were set to configure the container credentials provider). ECS and EKS Pod Identity set them in the task or pod.",
                ContainerConstants.SourceName);
        }

        string full = fullUri.Trim();
        if (!Uri.TryCreate(full, UriKind.Absolute, out Uri? absolute)
            || (absolute.Scheme != Uri.UriSchemeHttp && absolute.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(absolute.Host))
        {
            throw Invalid($"{fullSetting} is '{full}', which is not an absolute http:// or https:// URI (the URI did not specify a host). Set it to the credentials endpoint, such as http://{ContainerConstants.EksHostIPv4}/v1/credentials, or unset it.");
        }

        if (!string.IsNullOrEmpty(absolute.UserInfo))
        {
            throw Invalid($"{fullSetting} holds user information before the host, which is not allowed. Pass credentials for the endpoint in {ContainerConstants.AuthorizationTokenFileVariable} or {ContainerConstants.AuthorizationTokenVariable}.");
        }

        if (absolute.Scheme == Uri.UriSchemeHttps || IsAllowedHttpHost(absolute))
        {
            return absolute;
        }

        throw Invalid($"{fullSetting} is '{absolute.GetLeftPart(UriPartial.Path)}': plain http:// is allowed only to loopback, {ContainerConstants.EcsHost} (ECS), {ContainerConstants.EksHostIPv4} and [{ContainerConstants.EksHostIPv6}] (EKS Pod Identity), so credentials never cross a network in clear text. Use https:// for host '{absolute.Host}', or one of those hosts.");
    }

    /// <summary>Gets whether plain HTTP may be used to <paramref name="uri"/>'s host: loopback (<c>localhost</c> included) or an ECS/EKS agent address.</summary>
    public static bool IsAllowedHttpHost(Uri uri)
    {
        if (uri.HostNameType == UriHostNameType.Dns)
        {
            return string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase);
        }

        if (!IPAddress.TryParse(uri.DnsSafeHost, out IPAddress? address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return IPAddress.IsLoopback(address)
            || address.Equals(EcsAddress)
            || address.Equals(EksAddressIPv4)
            || (address.AddressFamily == AddressFamily.InterNetworkV6 && new IPAddress(address.GetAddressBytes()).Equals(EksAddressIPv6));
    }

    private static AwsCredentialException Invalid(string problem) =>
        new($"{ContainerConstants.SourceName}: {problem} {ContainerConstants.Troubleshooting}", ContainerConstants.SourceName, isRecoverable: false);
}
