using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WorkloadCredentials.AwsSdk.Extensions.Internal;

/// <summary>Builds a keyed SDK client with the keyed <see cref="AWSOptions"/> of a named registration, else the unkeyed ones.</summary>
internal static class KeyedClientFactory
{
    public static object Create<T>(IServiceProvider services, string name)
        where T : class, IAmazonService
    {
        AWSOptions options = services.GetKeyedService<AWSOptions>(name)
            ?? services.GetService<AWSOptions>()
            ?? services.GetService<IConfiguration>()?.GetAWSOptions()
            ?? new AWSOptions();
        return options.CreateServiceClient<T>();
    }
}
