using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Tests.Infrastructure;

public sealed class NetworkSafetyTests
{
    [Theory]
    [InlineData("instance metadata")]
    [InlineData("container")]
    public async Task GuardedContext_NonLoopbackHost_IsRefusedBeforeAnyPacket(string source)
    {
        // 192.0.2.1 is TEST-NET-1 (never routed): the guard the test contexts inject refuses it before a socket is even opened.
        var options = new WorkloadCredentialsOptions();
        options.InstanceMetadata.Endpoint = new Uri("http://192.0.2.1/");
        options.InstanceMetadata.Disabled = false;
        options.Container.FullUri = new Uri("https://192.0.2.1/credentials");
        var environment = new DictionaryEnvironment();
        CredentialSourceContext context = NetworkSafety.Guarded(options, environment);
        using IAwsCredentialSource sut = source == "container"
            ? new WorkloadCredentials.Container.ContainerCredentialSource(context)
            : new WorkloadCredentials.InstanceMetadata.ImdsCredentialSource(context);

        var ex = await Assert.ThrowsAnyAsync<Exception>(async () => await sut.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Contains("192.0.2.1", ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("blocked by the test suite's loopback guard", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuardedContainer_NonLoopbackHost_IsRefusedBeforeAnyPacket()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IEnvironment>(services, new DictionaryEnvironment());
        services.AddLoopbackOnlyConnections();
        Microsoft.Extensions.DependencyInjection.WorkloadCredentialsServiceCollectionExtensions.AddWorkloadCredentials(services, "guarded", o =>
        {
            o.Container.FullUri = new Uri("https://192.0.2.1/credentials");
            o.InstanceMetadata.Disabled = true;
        });
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        IAwsCredentialSource source = Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetRequiredKeyedService<IAwsCredentialSource>(provider, "guarded");

        var ex = await Assert.ThrowsAnyAsync<Exception>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Contains("blocked by the test suite's loopback guard", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Library_HoldsNoSettableStaticState()
    {
        // Item 6 of issue 10: no test hook (a settable static) ships in the library. Every static field is readonly or const.
        Type[] types = typeof(IAwsCredentialSource).Assembly.GetTypes();
        var settable = types
            .Where(t => !t.Name.Contains('<', StringComparison.Ordinal) && !(t.Namespace ?? string.Empty).StartsWith("System", StringComparison.Ordinal) && !(t.Namespace ?? string.Empty).StartsWith("Microsoft", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly))
            .Where(f => !f.IsInitOnly && !f.IsLiteral && !f.Name.Contains('<', StringComparison.Ordinal) || f.Name.Contains("BackingField", StringComparison.Ordinal) && !f.IsInitOnly)
            .Select(f => f.DeclaringType!.FullName + "." + f.Name)
            .ToList();

        Assert.Empty(settable);
    }

    [Fact]
    public void ProcessEnvironment_InstanceMetadataDisabledForEverythingInThisProcess()
    {
        Assert.Equal("true", Environment.GetEnvironmentVariable("AWS_EC2_METADATA_DISABLED"));
        Assert.Null(Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    }
}
