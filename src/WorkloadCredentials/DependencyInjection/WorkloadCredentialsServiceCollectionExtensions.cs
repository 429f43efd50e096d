using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WorkloadCredentials;
using WorkloadCredentials.AwsSdk;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.DependencyInjection.Internal;
using WorkloadCredentials.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers WorkloadCredentials in an <see cref="IServiceCollection"/>.</summary>
/// <remarks>
/// Registered (as singletons, with <c>TryAdd</c>): <see cref="ICachedAwsCredentialSource"/> (the default chain behind the refresh
/// cache), <see cref="IAwsCredentialSource"/> (the same instance), <see cref="WorkloadAwsCredentials"/> and
/// <see cref="AWSCredentials"/> (the same adapter). AWSSDK.Extensions.NETCore.Setup (4.0.x) does not read
/// <see cref="AWSCredentials"/> from the container: hand it to <c>AWSOptions.Credentials</c>, as in
/// <c>services.AddDefaultAWSOptions(sp =&gt; new AWSOptions { Credentials = sp.GetRequiredService&lt;AWSCredentials&gt;() })</c>,
/// and every client added with <c>AddAWSService&lt;T&gt;()</c> signs with it.
/// Options are validated at start-up. <see cref="TimeProvider"/> and <c>ILoggerFactory</c> are taken from the container when
/// registered, else <see cref="TimeProvider.System"/> and no logging.
/// </remarks>
public static class WorkloadCredentialsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default credential chain behind the refresh cache. Options left unset fall back to environment variables.
    /// Calling it more than once registers once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddWorkloadCredentials(this IServiceCollection services)
    {
        Throw.IfNull(services);
        WorkloadCredentialsRegistry registry = AddCore(services);
        if (!registry.TryRegister(Options.Options.DefaultName))
        {
            return services;
        }

        _ = services.AddOptionsWithValidateOnStart<WorkloadCredentialsOptions, WorkloadCredentialsOptionsValidator>();
        services.TryAddSingleton<ICachedAwsCredentialSource>(static sp => WorkloadCredentialsFactory.Create(sp, Options.Options.DefaultName));
        services.TryAddSingleton<IAwsCredentialSource>(static sp => sp.GetRequiredService<ICachedAwsCredentialSource>());
        services.TryAddSingleton(static sp => new WorkloadAwsCredentials(sp.GetRequiredService<ICachedAwsCredentialSource>()));
        services.TryAddSingleton<AWSCredentials>(static sp => sp.GetRequiredService<WorkloadAwsCredentials>());
        return services;
    }

    /// <summary>Registers the default credential chain behind the refresh cache, configured by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options; options left unset fall back to environment variables.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddWorkloadCredentials(this IServiceCollection services, Action<WorkloadCredentialsOptions> configure)
    {
        Throw.IfNull(services);
        Throw.IfNull(configure);
        _ = services.AddWorkloadCredentials();
        _ = services.Configure(configure);
        return services;
    }

    /// <summary>
    /// Registers the default credential chain behind the refresh cache, bound from configuration: pass the <c>"AWS"</c> section
    /// (<c>configuration.GetSection("AWS")</c>), or the configuration root, in which case its <c>"AWS"</c> section is used.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section to bind (keys such as <c>StaticKeys:AccessKeyId</c>, <c>Cache:RefreshBeforeExpiry</c>).</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddWorkloadCredentials(this IServiceCollection services, IConfiguration configuration)
    {
        Throw.IfNull(services);
        Throw.IfNull(configuration);
        IConfigurationSection section = ResolveSection(configuration);
        _ = services.AddWorkloadCredentials();
        GetRegistry(services).SetConfigurationPath(Options.Options.DefaultName, section.Path);
        // The binding is source-generated. It skips CustomSources (instances, not configuration): SYSLIB1100/1101, off in the csproj.
        _ = services.Configure<WorkloadCredentialsOptions>(section);
        _ = services.Configure<WorkloadCredentialsStartupOptions>(section.GetSection(WorkloadCredentialsStartupOptions.SectionName));
        return services;
    }

    /// <summary>
    /// Registers a named credential source (for example a role per bucket), resolved as a keyed service:
    /// <c>[FromKeyedServices("backups")] IAwsCredentialSource</c>, <c>ICachedAwsCredentialSource</c>, <c>WorkloadAwsCredentials</c>
    /// or <c>AWSCredentials</c>. Its options are its own: they do not inherit the unnamed registration's.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The name, also the service key.</param>
    /// <param name="configure">Configures the options; options left unset fall back to environment variables.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="name"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public static IServiceCollection AddWorkloadCredentials(this IServiceCollection services, string name, Action<WorkloadCredentialsOptions> configure)
    {
        Throw.IfNull(services);
        Throw.IfNullOrWhiteSpace(name);
        Throw.IfNull(configure);
        AddNamed(services, name);
        _ = services.Configure(name, configure);
        return services;
    }

    /// <summary>Registers a named credential source bound from a configuration section (for example <c>AWS:Backups</c>), resolved as a keyed service.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The name, also the service key.</param>
    /// <param name="configuration">The section to bind.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="name"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public static IServiceCollection AddWorkloadCredentials(this IServiceCollection services, string name, IConfiguration configuration)
    {
        Throw.IfNull(services);
        Throw.IfNullOrWhiteSpace(name);
        Throw.IfNull(configuration);
        AddNamed(services, name);
        string? path = (configuration as IConfigurationSection)?.Path;
        if (path is not null)
        {
            GetRegistry(services).SetConfigurationPath(name, path);
        }

        _ = services.Configure<WorkloadCredentialsOptions>(name, configuration);
        return services;
    }

    private static void AddNamed(IServiceCollection services, string name)
    {
        WorkloadCredentialsRegistry registry = AddCore(services);
        if (!registry.TryRegister(name))
        {
            return;
        }

        _ = services.AddOptionsWithValidateOnStart<WorkloadCredentialsOptions, WorkloadCredentialsOptionsValidator>(name);
        services.TryAddKeyedSingleton<ICachedAwsCredentialSource>(name, static (sp, key) => WorkloadCredentialsFactory.Create(sp, (string)key!));
        services.TryAddKeyedSingleton<IAwsCredentialSource>(name, static (sp, key) => sp.GetRequiredKeyedService<ICachedAwsCredentialSource>(key));
        services.TryAddKeyedSingleton(name, static (sp, key) => new WorkloadAwsCredentials(sp.GetRequiredKeyedService<ICachedAwsCredentialSource>(key)));
        services.TryAddKeyedSingleton<AWSCredentials>(name, static (sp, key) => sp.GetRequiredKeyedService<WorkloadAwsCredentials>(key));
    }

    private static WorkloadCredentialsRegistry AddCore(IServiceCollection services)
    {
        if (FindRegistry(services) is { } existing)
        {
            return existing;
        }

        var registry = new WorkloadCredentialsRegistry(services);
        services.AddSingleton(registry);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkloadCredentialsOptions>, WorkloadCredentialsOptionsCustomValidator>(
            static sp => new WorkloadCredentialsOptionsCustomValidator(sp.GetRequiredService<WorkloadCredentialsRegistry>().GetConfigurationPath)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WorkloadCredentialsStartup>());
        return registry;
    }

    private static WorkloadCredentialsRegistry GetRegistry(IServiceCollection services) =>
        FindRegistry(services) ?? throw new InvalidOperationException("AddWorkloadCredentials registered no registry.");

    private static WorkloadCredentialsRegistry? FindRegistry(IServiceCollection services)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(WorkloadCredentialsRegistry) && !descriptor.IsKeyedService)
            {
                return descriptor.ImplementationInstance as WorkloadCredentialsRegistry;
            }
        }

        return null;
    }

    private static IConfigurationSection ResolveSection(IConfiguration configuration) =>
        configuration as IConfigurationSection ?? configuration.GetSection(WorkloadCredentialsOptions.DefaultSectionName);
}
