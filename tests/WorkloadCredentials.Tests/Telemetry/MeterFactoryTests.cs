using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WorkloadCredentials.DependencyInjection;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

namespace WorkloadCredentials.Tests.Telemetry;

/// <summary>
/// Where the <c>WorkloadCredentials</c> meter comes from: the container's <see cref="IMeterFactory"/> when it has one (its instruments
/// created once per factory, shared by the named sources), the process-wide meter without.
/// </summary>
public sealed class MeterFactoryTests
{
    [Fact]
    public async Task AddWorkloadCredentials_WithAMeterFactory_RecordsOnTheContainersMeter_ForTheDefaultAndANamedSource()
    {
        using var factory = new TelemetryTestKit.TestMeterFactory();
        using var refreshes = new MetricCollector<long>(factory, CredentialInstruments.MeterName, CredentialInstruments.Refreshes);
        var services = new ServiceCollection();
        services.AddSingleton<IMeterFactory>(factory);
        services.AddSingleton<IEnvironment>(new TestEnvironment());
        services.AddLoopbackOnlyConnections();
        services.AddWorkloadCredentials(o =>
        {
            o.StaticKeys.AccessKeyId = "AKIDMETERFACTORY0001";
            o.StaticKeys.SecretAccessKey = SecretRegistry.Mint(SecretKind.SecretAccessKey);
        });
        services.AddWorkloadCredentials("backups", o =>
        {
            o.StaticKeys.AccessKeyId = "AKIDMETERFACTORY0002";
            o.StaticKeys.SecretAccessKey = SecretRegistry.Mint(SecretKind.SecretAccessKey);
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        _ = await provider.GetRequiredService<IAwsCredentialSource>().GetCredentialsAsync(TestContext.Current.CancellationToken);
        _ = await provider.GetRequiredKeyedService<IAwsCredentialSource>("backups").GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, refreshes.GetMeasurementSnapshot().Count);
        Assert.All(refreshes.GetMeasurementSnapshot(), m => Assert.True(m.HasTags((TelemetryTags.Source, "StaticKeys"), (TelemetryTags.Outcome, "success"))));
        Assert.Same(CredentialInstruments.For(factory), CredentialInstruments.For(factory));
        Assert.Same(factory, CredentialInstruments.For(factory).Meter.Scope);
    }

    [Fact]
    public void Instruments_WithoutAFactory_AreTheProcessWideMeters()
    {
        Assert.Same(CredentialInstruments.Default, CredentialInstruments.For(null));
        Assert.Equal(CredentialInstruments.MeterName, CredentialInstruments.Default.Meter.Name);
        Assert.Null(CredentialInstruments.Default.Meter.Scope);
        Assert.Equal(CredentialInstruments.MeterName, CredentialInstruments.ActivitySource.Name);
    }
}
