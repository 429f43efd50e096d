using System.Runtime.CompilerServices;

namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>
/// Runs before any test: makes sure that nothing in this process (or a process it starts) can fall back to the real
/// instance metadata or container endpoints, or read the developer's own AWS files, by accident. Tests that exercise those
/// sources give their own environment (DictionaryEnvironment) with loopback endpoints.
/// </summary>
internal static class NetworkSafety
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        // Every connection the IMDS and container sources open in this process must go to loopback.
        WorkloadCredentials.Internal.HostHttp.ConnectionGuard = IsLoopback;
        foreach (string name in new[]
        {
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
            "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS",
        })
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        // Instance metadata off, shared AWS files that do not exist.
        foreach ((string name, string value) in TestEnvironment.SafeDefaults)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>The one loopback rule of the test infrastructure (the host sources' guard, the in-memory guard handler, the SDK client factory).</summary>
    public static bool IsLoopback(string host) =>
        host is "localhost" or "127.0.0.1" or "::1" or "[::1]" || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out System.Net.IPAddress? address) && System.Net.IPAddress.IsLoopback(address));
}
