using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>
/// Runs before any test: makes sure that nothing in this process (or a process it starts) can fall back to the real
/// instance metadata or container endpoints, or read the developer's own AWS files, by accident. Tests that exercise those
/// sources give their own environment (DictionaryEnvironment) with loopback endpoints, and their contexts open every connection
/// through <see cref="LoopbackConnectAsync"/> (<see cref="Guarded"/>), injected through the context: the library holds no test hook.
/// </summary>
internal static class NetworkSafety
{
    [ModuleInitializer]
    internal static void Initialize()
    {
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

    /// <summary>
    /// The connect callback of every test context (<see cref="WorkloadCredentials.Internal.CredentialSourceContext.ConnectCallback"/>):
    /// a connection to anything but loopback is refused before a packet leaves.
    /// </summary>
    public static async ValueTask<Stream> LoopbackConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (!IsLoopback(context.DnsEndPoint.Host))
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection to " + context.DnsEndPoint.Host + " blocked by the test suite's loopback guard.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A context whose sources open every connection through <see cref="LoopbackConnectAsync"/>.</summary>
    public static WorkloadCredentials.Internal.CredentialSourceContext Guarded(
        WorkloadCredentialsOptions options,
        WorkloadCredentials.Internal.IEnvironment? environment = null,
        TimeProvider? timeProvider = null,
        Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null,
        HttpMessageHandler? httpHandler = null) =>
        new(options, environment, timeProvider, loggerFactory, httpHandler) { ConnectCallback = LoopbackConnectAsync };

    /// <summary>Makes every connection of the container's credential sources go through <see cref="LoopbackConnectAsync"/>.</summary>
    public static Microsoft.Extensions.DependencyInjection.IServiceCollection AddLoopbackOnlyConnections(this Microsoft.Extensions.DependencyInjection.IServiceCollection services) =>
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(services, new WorkloadCredentials.Internal.ConnectCallbackSeam(LoopbackConnectAsync));
}
