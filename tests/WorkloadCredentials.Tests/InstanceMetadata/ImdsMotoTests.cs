using WorkloadCredentials.InstanceMetadata;
using WorkloadCredentials.InstanceMetadata.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.InstanceMetadata;

/// <summary>
/// The instance metadata source and client against moto_server's IMDS (a real third-party implementation) on loopback:
/// the IMDSv2 token PUT, role discovery (moto answers the extended API with a 500, so the legacy API serves), the
/// credentials, and the placement region.
/// </summary>
public sealed class ImdsMotoTests(ImdsMotoTests.MotoFixture fixture) : IClassFixture<ImdsMotoTests.MotoFixture>
{
    private readonly MotoServer _moto = fixture.Moto;

    [Fact]
    public async Task GetCredentialsAsync_MotoImds_ReturnsInstanceProfileCredentials()
    {
        var context = new HostSourceTestContext();
        context.Options.InstanceMetadata.Endpoint = _moto.Endpoint;
        var source = new ImdsCredentialSource(context.Build());

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
        AwsCredentials again = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("test-key", credentials.AccessKeyId);
        Assert.Equal("test-secret-key", credentials.SecretAccessKey);
        Assert.Equal("test-session-token", credentials.SessionToken);
        Assert.Equal("InstanceMetadata", credentials.SourceName);
        Assert.InRange(credentials.Expiration!.Value, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
        Assert.Equal(credentials.AccessKeyId, again.AccessKeyId);
        Assert.Contains(context.Logs.GetSnapshot(), r => r.Id.Id == ImdsLog.RoleDiscoveredId && r.Message.Contains("default-role", StringComparison.Ordinal));
        Assert.DoesNotContain("test-secret-key", context.AllLogText(), StringComparison.Ordinal);
        Assert.DoesNotContain("test-session-token", context.AllLogText(), StringComparison.Ordinal);
        Assert.DoesNotContain("fake-imdsv2-token", context.AllLogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_MotoImdsWithProfileName_SkipsDiscovery()
    {
        var context = new HostSourceTestContext();
        context.Options.InstanceMetadata.Endpoint = _moto.Endpoint;
        context.Environment["AWS_EC2_INSTANCE_PROFILE_NAME"] = "default-role";
        var source = new ImdsCredentialSource(context.Build());

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("test-key", credentials.AccessKeyId);
        Assert.DoesNotContain(context.Logs.GetSnapshot(), r => r.Id.Id == ImdsLog.RoleDiscoveredId);
    }

    [Fact]
    public async Task GetRegionAsync_MotoImds_ReturnsPlacementRegion()
    {
        var context = new HostSourceTestContext();
        context.Environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = _moto.Endpoint.ToString();
        using ImdsClient client = ImdsClient.Create(context.Build());

        Assert.Equal("us-east-1", await client.GetRegionAsync(TestContext.Current.CancellationToken));
        Assert.True(client.HasAnswered);
    }

    /// <summary>One moto_server for the class (IMDS is stateless in moto).</summary>
    public sealed class MotoFixture : IAsyncLifetime
    {
        public MotoServer Moto { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Moto = await MotoServer.StartAsync();

        public async ValueTask DisposeAsync() => await Moto.DisposeAsync();
    }
}
