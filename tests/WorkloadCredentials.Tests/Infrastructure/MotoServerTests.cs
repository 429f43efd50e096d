namespace WorkloadCredentials.Tests.Infrastructure;

public sealed class MotoServerTests
{
    [Fact]
    public async Task StartAsync_AnswersOnLoopback_AndStopsOnDispose()
    {
        MotoServer moto = await MotoServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("127.0.0.1", moto.Endpoint.Host);
        var iam = new MotoIam(moto);
        string arn = await iam.CreateRoleAsync("probe-role", MotoIam.TrustEveryonePolicy);
        Assert.StartsWith("arn:aws:iam::", arn, StringComparison.Ordinal);

        await moto.DisposeAsync();
        using var client = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(moto.Endpoint, "/moto-api/"), TestContext.Current.CancellationToken));
    }
}
