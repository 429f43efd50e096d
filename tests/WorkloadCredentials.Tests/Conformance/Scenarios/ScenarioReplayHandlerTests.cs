using System.Net;

namespace WorkloadCredentials.Tests.Conformance.Scenarios;

/// <summary>The replay judge itself: every rule it enforces must be able to fail a scenario.</summary>
public sealed class ScenarioReplayHandlerTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> NoHeaders = [];

    [Fact]
    public async Task SendAsync_RecordedRequestsInOrder_ServesBodiesAndCompletes()
    {
        var handler = new ScenarioReplayHandler([Put(0, "imdstoken"), Get(1, "/latest/meta-data/iam/security-credentials/", "role", token: "imdstoken")]);
        using var client = new HttpClient(handler);

        using HttpResponseMessage token = await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "http://169.254.169.254/latest/api/token"), TestContext.Current.CancellationToken);
        var get = new HttpRequestMessage(HttpMethod.Get, "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
        get.Headers.Add("x-aws-ec2-metadata-token", "imdstoken");
        using HttpResponseMessage role = await client.SendAsync(get, TestContext.Current.CancellationToken);

        Assert.Equal("imdstoken", await token.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(9, token.Content.Headers.ContentLength); // recomputed from the body, not the recorded (stale) 56
        Assert.Equal("21600", token.Headers.GetValues("x-aws-ec2-metadata-token-ttl-seconds").Single());
        Assert.Equal("role", await role.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        handler.AssertComplete();
    }

    [Fact]
    public async Task SendAsync_UnrecordedHost_RefusedAndFails()
    {
        var handler = new ScenarioReplayHandler([Put(0, "imdstoken")]);
        using var client = new HttpClient(handler);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("https://sts.amazonaws.com/", TestContext.Current.CancellationToken));

        Assert.Contains(handler.Violations, v => v.Contains("a host the recording does not name", StringComparison.Ordinal));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(handler.AssertComplete);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/other", "imdstoken", "path")]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/?x=1", "imdstoken", "query")]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "wrong", "x-aws-ec2-metadata-token differs")]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/", null, "x-aws-ec2-metadata-token missing")]
    [InlineData("http://169.254.169.254:8080/latest/meta-data/iam/security-credentials/", "imdstoken", "host")]
    public async Task SendAsync_RequestDiffersFromRecording_Violation(string uri, string? token, string expected)
    {
        var handler = new ScenarioReplayHandler([Get(0, "/latest/meta-data/iam/security-credentials/", "role", token: "imdstoken")]);
        using var client = new HttpClient(handler);
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (token is not null)
        {
            request.Headers.Add("x-aws-ec2-metadata-token", token);
        }

        try
        {
            using HttpResponseMessage response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        }
        catch (HttpRequestException)
        {
            // an unrecorded port is an unrecorded host: refused
        }

        Assert.Contains(handler.Violations, v => v.Contains(expected, StringComparison.Ordinal));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(handler.AssertComplete);
    }

    [Fact]
    public void AssertComplete_RecordedRequestNeverSent_Fails()
    {
        var handler = new ScenarioReplayHandler([Put(0, "imdstoken")]);

        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(handler.AssertComplete);

        Assert.Contains("were never sent", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_BeyondTheRecording_Fails()
    {
        var handler = new ScenarioReplayHandler([Put(0, "imdstoken")]);
        using var client = new HttpClient(handler);
        using HttpResponseMessage first = await client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "http://169.254.169.254/latest/api/token"), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "http://169.254.169.254/latest/api/token"), TestContext.Current.CancellationToken));

        Assert.Contains(handler.Violations, v => v.Contains("comes after the 1 recorded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_UnrecordedExtendedApiRequest_Answered404WithoutConsuming()
    {
        var handler = new ScenarioReplayHandler([Get(0, "/latest/meta-data/iam/security-credentials/", "role")]);
        using var client = new HttpClient(handler);

        using HttpResponseMessage extended = await client.GetAsync("http://169.254.169.254/latest/meta-data/iam/security-credentials-extended/", TestContext.Current.CancellationToken);
        using HttpResponseMessage legacy = await client.GetAsync("http://169.254.169.254/latest/meta-data/iam/security-credentials/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, extended.StatusCode);
        Assert.Equal("role", await legacy.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["/latest/meta-data/iam/security-credentials-extended/"], handler.ExtendedApiProbes);
        handler.AssertComplete();
    }

    [Fact]
    public async Task SendAsync_AppendedRequestCarriesToken_Violation()
    {
        var appended = Get(-1, "/latest/meta-data/iam/security-credentials/", string.Empty, status: HttpStatusCode.NotFound);
        var handler = new ScenarioReplayHandler([], [appended]);
        using var client = new HttpClient(handler);
        var request = new HttpRequestMessage(HttpMethod.Get, "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
        request.Headers.Add("x-aws-ec2-metadata-token", "imdstoken");

        using HttpResponseMessage response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Contains(handler.Violations, v => v.Contains("expected none (IMDSv1)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InstantSleepTimeProvider_DelayCompletesAtOnce_TimeoutsNeverFire()
    {
        DateTimeOffset start = DateTimeOffset.FromUnixTimeSeconds(1234567890 - 3600);
        var time = new InstantSleepTimeProvider(start);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(1), time);

        await Task.Delay(TimeSpan.FromSeconds(30), time, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(start, time.GetUtcNow());
        Assert.Equal(1, time.Sleeps);
        Assert.False(timeout.IsCancellationRequested);
    }

    private static RecordedExchange Put(int id, string token) =>
        new(id, "PUT", new Uri("http://169.254.169.254/latest/api/token"), NoHeaders, HttpStatusCode.OK,
            new Dictionary<string, IReadOnlyList<string>> { ["content-length"] = ["56"], ["x-aws-ec2-metadata-token-ttl-seconds"] = ["21600"] }, token);

    private static RecordedExchange Get(int id, string path, string body, string? token = null, HttpStatusCode status = HttpStatusCode.OK) =>
        new(id, "GET", new Uri("http://169.254.169.254" + path),
            token is null ? NoHeaders : new Dictionary<string, IReadOnlyList<string>> { ["x-aws-ec2-metadata-token"] = [token] },
            status, NoHeaders, body);
}
