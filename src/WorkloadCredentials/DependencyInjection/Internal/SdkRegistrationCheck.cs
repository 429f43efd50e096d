using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace WorkloadCredentials.DependencyInjection.Internal;

/// <summary>
/// Finds AWS SDK clients added with <c>AddAWSService</c> that nothing hands the registered credentials to: no <c>AWSOptions</c> is
/// registered (WorkloadCredentials.AwsSdk.Extensions registers one), so the SDK would sign with its own credential chain.
/// </summary>
internal static class SdkRegistrationCheck
{
    private const string SetupAssembly = "AWSSDK.Extensions.NETCore.Setup";
    private const string AwsOptionsType = "Amazon.Extensions.NETCore.Setup.AWSOptions";

    public static IReadOnlyList<string> FindUnwiredClients(IServiceCollection services)
    {
        var clients = new List<string>();
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType.FullName == AwsOptionsType && !descriptor.IsKeyedService)
            {
                return [];
            }

            Delegate? factory = descriptor.IsKeyedService ? descriptor.KeyedImplementationFactory : descriptor.ImplementationFactory;
            if (typeof(IAmazonService).IsAssignableFrom(descriptor.ServiceType)
                && factory?.Method.DeclaringType?.Assembly.GetName().Name == SetupAssembly)
            {
                clients.Add(descriptor.ServiceType.Name);
            }
        }

        return clients;
    }
}
