using System.Diagnostics;
using System.Text;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.Tool;

/// <summary>
/// <c>whoami</c> as a real process against hostile loopback STS endpoints: redirects are never followed, answers are capped at 64 KiB,
/// a 200 that is not a GetCallerIdentity answer is an STS error (exit 3), and an error that echoes the session token never prints it.
/// </summary>
public sealed class WhoamiHostileStsTests : IDisposable
{
    private const string AccessKeyId = "ASIAWHOAMIHOSTILE01";
    private const string SecretKey = "whoamiHostileSecretKey0123456789abcdefgh";
    private const string SessionToken = "whoamiHostileSessionTokenValue-0123456789-abcdefghijklmnop";
    private readonly ToolRunner _tool = new();

    public WhoamiHostileStsTests()
    {
        _tool.Environment["AWS_ACCESS_KEY_ID"] = AccessKeyId;
        _tool.Environment["AWS_SECRET_ACCESS_KEY"] = SecretKey;
        _tool.Environment["AWS_SESSION_TOKEN"] = SessionToken;
        _tool.Environment["AWS_REGION"] = "eu-west-1";
    }

    public void Dispose() => _tool.Dispose();

    [Theory]
    [InlineData(307)]
    [InlineData(302)]
    public async Task Whoami_StsRedirects_NotFollowedExitsThree(int status)
    {
        await using var elsewhere = await StsFaultServer.StartAsync(_ => StsReply.Ok(CallerIdentity("123456789012")));
        await using var server = await LoopbackHttpServer.StartAsync(http =>
        {
            http.Response.StatusCode = status;
            http.Response.Headers.Location = $"http://localhost:{elsewhere.Endpoint.Port}/steal?X-Amz-Security-Token=leak";
            return Task.CompletedTask;
        });
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = server.Endpoint.ToString();

        ProcessResult result = await _tool.RunAsync("whoami");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(0, elsewhere.CallCount);
        Assert.Single(server.Requests);
        Assert.Equal(
            $"workload-credentials: whoami: sts:GetCallerIdentity at {server.Endpoint} (from AWS_ENDPOINT_URL_STS) answered HTTP {status} with a redirect to host localhost; redirects are never followed, because the request carries the credentials. Set AWS_ENDPOINT_URL_STS (or the profile's endpoint_url) to the real STS endpoint.",
            result.Error.TrimEnd());
        Assert.DoesNotContain("steal", result.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_EndlessAnswer_CappedExitsThreeQuickly()
    {
        await using var server = await LoopbackHttpServer.StartAsync(async http =>
        {
            http.Response.StatusCode = 200;
            http.Response.ContentType = "text/xml";
            byte[] chunk = Encoding.ASCII.GetBytes(new string('A', 16 * 1024));
            try
            {
                await http.Response.Body.WriteAsync(Encoding.ASCII.GetBytes("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>"), http.RequestAborted);
                for (int i = 0; i < 200 * 64 && !http.RequestAborted.IsCancellationRequested; i++)
                {
                    await http.Response.Body.WriteAsync(chunk, http.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
            {
            }
        });
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = server.Endpoint.ToString();

        var stopwatch = Stopwatch.StartNew();
        ProcessResult result = await _tool.RunAsync("whoami");

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Single(server.Requests);
        Assert.Equal(
            $"workload-credentials: whoami: sts:GetCallerIdentity at {server.Endpoint} (from AWS_ENDPOINT_URL_STS) answered with something that is not an STS response: the answer is larger than 64 KiB. Check that the endpoint is an STS endpoint and that no proxy rewrites its answers.",
            result.Error.TrimEnd());
    }

    [Theory]
    [InlineData("")]
    [InlineData("<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws")]
    [InlineData("<html><body>Welcome to the proxy</body></html>")]
    [InlineData("<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult/></AssumeRoleResponse>")]
    public async Task Whoami_200ThatIsNotACallerIdentity_ExitsThree(string body)
    {
        await using var server = await StsFaultServer.StartAsync(_ => StsReply.Ok(body));
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = server.Endpoint.ToString();

        ProcessResult result = await _tool.RunAsync("whoami");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(string.Empty, result.Output);
        Assert.StartsWith(
            $"workload-credentials: whoami: sts:GetCallerIdentity at {server.Endpoint} (from AWS_ENDPOINT_URL_STS) answered with something that is not an STS response: ",
            result.Error,
            StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_ErrorEchoesSessionTokenAndSecret_NeitherPrinted()
    {
        await using var server = await StsFaultServer.StartAsync(r => StsReply.Error(
            403,
            "InvalidClientTokenId",
            $"The security token included in the request is invalid: {r.SecurityToken?[..^1]} signed with {SecretKey[3..20]}"));
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = server.Endpoint.ToString();

        ProcessResult result = await _tool.RunAsync("whoami");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("InvalidClientTokenId", result.Error, StringComparison.Ordinal);
        Assert.False(SecretMasker.ContainsSecret(result.AllText, SessionToken, SecretKey), result.ToString());
    }

    private static string CallerIdentity(string account) => $"""
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <GetCallerIdentityResult><Arn>arn:aws:iam::{account}:user/elsewhere</Arn><UserId>AIDAELSEWHERE</UserId><Account>{account}</Account></GetCallerIdentityResult>
          <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000004</RequestId></ResponseMetadata>
        </GetCallerIdentityResponse>
        """;
}
