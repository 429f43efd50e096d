using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WorkloadCredentials.AwsSdk.Extensions.Internal;

/// <summary>
/// The <see cref="AWSOptions"/> the AWS SDK's client factory reads: everything the AWS SDK reads from the configuration section (region,
/// service URL, client settings, logging), with the credentials of a WorkloadCredentials registration.
/// </summary>
internal static class SdkOptionsFactory
{
    public static AWSOptions Create(IServiceProvider services, IConfiguration? section, string? name)
    {
        AWSOptions options = section is null ? new AWSOptions() : section.GetAWSOptions(configSection: null);
        options.Credentials = name is null
            ? services.GetRequiredService<AWSCredentials>()
            : services.GetRequiredKeyedService<AWSCredentials>(name);

        // Credentials are ours: the SDK must not assume a role on top of them or read a profile in their place.
        options.SessionRoleArn = null;
        options.Profile = null;
        return options;
    }
}
