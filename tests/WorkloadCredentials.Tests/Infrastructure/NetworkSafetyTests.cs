using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Tests.Infrastructure;

public sealed class NetworkSafetyTests
{
    [Fact]
    public async Task ConnectionGuard_NonLoopbackHost_IsRefusedBeforeAnyPacket()
    {
        Assert.NotNull(HostHttp.ConnectionGuard);
        using HttpClient client = HostHttp.CreateClient(handler: null, useProxy: false);

        // 192.0.2.1 is TEST-NET-1 (never routed): the guard refuses it before a socket is even opened.
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://192.0.2.1/"), TestContext.Current.CancellationToken));
        Assert.Contains("blocked by the connection guard", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessEnvironment_InstanceMetadataDisabledForEverythingInThisProcess()
    {
        Assert.Equal("true", Environment.GetEnvironmentVariable("AWS_EC2_METADATA_DISABLED"));
        Assert.Null(Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    }
}
