using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.DependencyInjection.Internal;

/// <summary>Builds the cached default chain for one options name from the container.</summary>
internal static class WorkloadCredentialsFactory
{
    public static RefreshingCredentialCache Create(IServiceProvider serviceProvider, string name) =>
        AwsCredentialSources.CreateDefault(CreateContext(serviceProvider, name), validate: false);

    /// <summary>
    /// The options of <paramref name="name"/> (validated), and the container's <see cref="TimeProvider"/>, <see cref="ILoggerFactory"/>
    /// and <see cref="IMeterFactory"/> when registered, else <see cref="TimeProvider.System"/>, no logging and the process-wide meter. The internal <see cref="IEnvironment"/> and
    /// <see cref="ConnectCallbackSeam"/> seams are taken from the container too (tests), else the process environment and default connections.
    /// </summary>
    public static CredentialSourceContext CreateContext(IServiceProvider serviceProvider, string name)
    {
        // Get(name) runs the registered validators: invalid options fail here at the latest, at start-up with a host.
        WorkloadCredentialsOptions options = serviceProvider.GetRequiredService<IOptionsMonitor<WorkloadCredentialsOptions>>().Get(name);
        return new CredentialSourceContext(
            options,
            serviceProvider.GetService<IEnvironment>() ?? ProcessEnvironment.Instance,
            serviceProvider.GetService<TimeProvider>() ?? TimeProvider.System,
            serviceProvider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance)
        {
            ConnectCallback = serviceProvider.GetService<ConnectCallbackSeam>()?.Connect,
            Instruments = CredentialInstruments.For(serviceProvider.GetService<IMeterFactory>()),
        };
    }
}
