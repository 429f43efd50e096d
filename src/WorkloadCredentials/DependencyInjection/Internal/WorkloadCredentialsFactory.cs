using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.DependencyInjection.Internal;

/// <summary>Builds the cached default chain for one options name from the container.</summary>
internal static class WorkloadCredentialsFactory
{
    public static RefreshingCredentialCache Create(IServiceProvider serviceProvider, string name)
    {
        // Get(name) runs the registered validators: invalid options fail here at the latest, at start-up with a host.
        WorkloadCredentialsOptions options = serviceProvider.GetRequiredService<IOptionsMonitor<WorkloadCredentialsOptions>>().Get(name);
        var context = new CredentialSourceContext(
            options,
            serviceProvider.GetService<IEnvironment>() ?? ProcessEnvironment.Instance,
            serviceProvider.GetService<TimeProvider>() ?? TimeProvider.System,
            serviceProvider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
        return AwsCredentialSources.CreateDefault(context, validate: false);
    }
}
