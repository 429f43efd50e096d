using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WorkloadCredentials;
using WorkloadCredentials.AwsSdk.Extensions.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers WorkloadCredentials so that AWS SDK clients added with <c>AddAWSService&lt;T&gt;()</c> (and, for named registrations,
/// <c>AddKeyedAWSService&lt;T&gt;(name)</c>) sign with it and keep the region and the rest of the <c>AWS</c> section. No other line is needed:
/// <code>
/// services.AddWorkloadCredentials(configuration.GetSection("AWS"));
/// services.AddAWSService&lt;IAmazonS3&gt;();
/// </code>
/// </summary>
/// <remarks>
/// These overloads take an <see cref="IConfigurationSection"/> or an <see cref="IConfigurationRoot"/>, so they are chosen over the
/// WorkloadCredentials package's <see cref="IConfiguration"/> overloads whenever this package is referenced. They register everything
/// those do, plus an <see cref="AWSOptions"/> built from the same section (<c>AWS:Region</c>, <c>AWS:ServiceURL</c>, ...) whose
/// <see cref="AWSOptions.Credentials"/> are the registration's. An <see cref="AWSOptions"/> registered before is kept (<c>TryAdd</c>).
/// </remarks>
public static class WorkloadCredentialsAwsSdkServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default credential chain bound from <paramref name="section"/> (usually <c>configuration.GetSection("AWS")</c>),
    /// and the <see cref="AWSOptions"/> that AWS SDK clients from <c>AddAWSService&lt;T&gt;()</c> are built with.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The <c>AWS</c> section.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddWorkloadCredentials(this IServiceCollection services, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        _ = services.AddWorkloadCredentials((IConfiguration)section);
        services.TryAddSingleton(sp => SdkOptionsFactory.Create(sp, section, name: null));
        return services;
    }

    /// <summary>As <see cref="AddWorkloadCredentials(IServiceCollection, IConfigurationSection)"/>, with the <c>AWS</c> section of <paramref name="configuration"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration root (such as <c>builder.Configuration</c>).</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddWorkloadCredentials(this IServiceCollection services, IConfigurationRoot configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddWorkloadCredentials(configuration.GetSection(WorkloadCredentialsOptions.DefaultSectionName));
    }

    /// <summary>
    /// Registers a named credential source bound from <paramref name="section"/> (for example <c>AWS:Backups</c>), and the keyed
    /// <see cref="AWSOptions"/> that its SDK clients, added with <c>AddKeyedAWSService&lt;T&gt;(name)</c>, are built with.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The name, also the service key of the source and of its SDK clients.</param>
    /// <param name="section">The section to bind.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="name"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public static IServiceCollection AddWorkloadCredentials(this IServiceCollection services, string name, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        _ = services.AddWorkloadCredentials(name, (IConfiguration)section);
        services.TryAddKeyedSingleton(name, (sp, _) => SdkOptionsFactory.Create(sp, section, name));
        return services;
    }

    /// <summary>
    /// Adds an AWS SDK client keyed by <paramref name="name"/> (<c>[FromKeyedServices("backups")] IAmazonS3</c>). When <paramref name="name"/>
    /// is a WorkloadCredentials registration, the client signs with its credentials and takes the region and settings of its section;
    /// otherwise it is built as the AWS SDK's own <c>AddKeyedAWSService</c> builds it (from the unkeyed <see cref="AWSOptions"/>).
    /// </summary>
    /// <typeparam name="T">The AWS service interface, such as <c>IAmazonS3</c>.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The registration name, also the service key.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public static IServiceCollection AddKeyedAWSService<T>(this IServiceCollection services, string name)
        where T : class, IAmazonService
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        services.Add(new ServiceDescriptor(typeof(T), name, (sp, _) => KeyedClientFactory.Create<T>(sp, name), ServiceLifetime.Singleton));
        return services;
    }
}
