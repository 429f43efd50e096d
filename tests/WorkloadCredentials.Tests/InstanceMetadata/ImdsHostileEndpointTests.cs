using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using WorkloadCredentials.InstanceMetadata;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.InstanceMetadata;

/// <summary>Runs these tests alone: the endless-body test bounds allocation process-wide, so no other test may allocate meanwhile.</summary>
[CollectionDefinition(nameof(ImdsHostileEndpointCollection), DisableParallelization = true)]
public sealed class ImdsHostileEndpointCollection;

/// <summary>
/// The instance metadata source against hostile loopback endpoints: redirects of the token request and of the credentials to
/// another server (never followed), a <c>Code</c>/<c>Message</c> that echoes the IMDSv2 session token and carries terminal control
/// characters, an endless body, a trickling body, JSON nested 10,000 deep, bytes that are not UTF-8, and credential values a header
/// cannot carry. Each asserts a bound on time (and, for the endless body, on what was read) and a clear message.
/// </summary>
[Collection(nameof(ImdsHostileEndpointCollection))]
public sealed class ImdsHostileEndpointTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    private readonly HostSourceTestContext _context = new();

    [Theory]
    [InlineData("PUT")]
    [InlineData("GET")]
    public async Task GetCredentialsAsync_RedirectToAnotherServer_NotFollowedNonRecoverable(string redirected)
    {
        await using LoopbackHttpServer target = await LoopbackHttpServer.StartAsync(http => http.Response.WriteAsync(ImdsTestData.ImdsToken), TestContext.Current.CancellationToken);
        await using LoopbackHttpServer server = await StartImdsAsync(
            http => http.Request.Method == redirected && (redirected == "PUT" || http.Request.Path.Value!.Contains(ImdsTestData.RoleName, StringComparison.Ordinal))
                ? HostileAnswers.RedirectAsync(http, new Uri(target.Endpoint, http.Request.Path.Value))
                : null);
        ImdsCredentialSource source = CreateSut(server.Endpoint);
        var stopwatch = Stopwatch.StartNew();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, Bound);
        Assert.Empty(target.Requests);
        Assert.False(error.IsRecoverable);
        Assert.Contains("307", error.Message, StringComparison.Ordinal);
        Assert.Contains("redirects are never followed", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.Authority, error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests, r => r.Method == redirected && (redirected == "PUT" || r.PathAndQuery.Contains(ImdsTestData.RoleName, StringComparison.Ordinal) && r.PathAndQuery.Contains("extended", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GetCredentialsAsync_CodeAndMessageEchoSessionTokenAndControlCharacters_MaskedAndEscaped()
    {
        await using LoopbackHttpServer server = await StartImdsAsync(http =>
        {
            if (!http.Request.Path.Value!.Contains(ImdsTestData.RoleName, StringComparison.Ordinal))
            {
                return null;
            }

            string echoed = http.Request.Headers["X-aws-ec2-metadata-token"].ToString();
            string document = System.Text.Json.JsonSerializer.Serialize(new
            {
                Code = "Failure\u001b[2J",
                Message = $"token {echoed} or {echoed[1..]} rejected\u001b[HCredentials OK\u202e",
            });
            return http.Response.WriteAsync(document);
        });
        ImdsCredentialSource source = CreateSut(server.Endpoint);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Contains("with code Failure\\u001b[2J", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', error.Message);
        Assert.DoesNotContain('\u202e', error.Message);
        Assert.False(SecretMasker.ContainsSecret(error.ToString(), ImdsTestData.ImdsToken), error.Message);
        Assert.False(SecretMasker.ContainsSecret(_context.AllLogText(), ImdsTestData.ImdsToken));
    }

    [Fact]
    public async Task GetCredentialsAsync_EndlessBody_LargerThan64KiBNotRetried()
    {
        using var probe = new EndlessBodyProbe();
        await using LoopbackHttpServer server = await StartImdsAsync(http =>
            http.Request.Path.Value!.Contains(ImdsTestData.RoleName, StringComparison.Ordinal) ? probe.AnswerAsync(http) : null);
        ImdsCredentialSource source = CreateSut(server.Endpoint, probe.Handler);

        AwsCredentialException error = await probe.FailsWithinBoundsAsync(() => source.GetCredentialsAsync(TestContext.Current.CancellationToken), "imds");

        Assert.Single(server.Requests, r => r.PathAndQuery.Contains(ImdsTestData.RoleName, StringComparison.Ordinal));
        Assert.Contains("larger than 64 KiB", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did not answer", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.Authority, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_TokenOver64KiB_LargerThan64KiBNotRetried()
    {
        await using LoopbackHttpServer server = await StartImdsAsync(http =>
            http.Request.Method == "PUT" ? http.Response.WriteAsync(new string('t', 70 * 1024)) : null);
        ImdsCredentialSource source = CreateSut(server.Endpoint);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Single(server.Requests);
        Assert.Contains("larger than 64 KiB", error.Message, StringComparison.Ordinal);
        Assert.IsNotType<CredentialUnavailableException>(error);
    }

    [Fact]
    public async Task GetCredentialsAsync_TricklingBody_TimesOutWithinBudget()
    {
        _context.Options.InstanceMetadata.Timeout = TimeSpan.FromMilliseconds(300);
        _context.Options.InstanceMetadata.MaxRetryAttempts = 1;
        await using LoopbackHttpServer server = await StartImdsAsync(http =>
            http.Request.Path.Value!.Contains(ImdsTestData.RoleName, StringComparison.Ordinal)
                ? HostileAnswers.TrickleAsync(http, ImdsTestData.CredentialsJson(DateTimeOffset.UtcNow.AddHours(1)))
                : null);
        ImdsCredentialSource source = CreateSut(server.Endpoint);
        var stopwatch = Stopwatch.StartNew();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        stopwatch.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"imds trickle: {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, Bound);
        Assert.True(error.IsRecoverable);
        Assert.Contains("no answer within 300 ms", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_JsonNested10000Deep_MalformedWithinBound()
    {
        await using LoopbackHttpServer server = await StartImdsAsync(http =>
            http.Request.Path.Value!.Contains(ImdsTestData.RoleName, StringComparison.Ordinal) ? HostileAnswers.DeepJsonAsync(http) : null);
        ImdsCredentialSource source = CreateSut(server.Endpoint);
        var stopwatch = Stopwatch.StartNew();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, Bound);
        Assert.Contains("unusable credentials document", error.Message, StringComparison.Ordinal);
        Assert.Contains("nested deeper than 64 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_BodyNotUtf8_RejectedAsNotUtf8()
    {
        await using LoopbackHttpServer server = await StartImdsAsync(http =>
            http.Request.Path.Value!.Contains(ImdsTestData.RoleName, StringComparison.Ordinal)
                ? HostileAnswers.BadUtf8Async(http, ImdsTestData.SecretAccessKey, ImdsTestData.SessionToken)
                : null);
        ImdsCredentialSource source = CreateSut(server.Endpoint);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal("InstanceMetadata", error.SourceName);
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.Authority, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', error.ToString());
        ImdsTestData.AssertNoSecret(error.ToString());
    }

    [Theory]
    [InlineData(ImdsTestData.SecretAccessKey, "\\n", "the secret access key holds a line break")]
    [InlineData(ImdsTestData.SecretAccessKey, "\\u0000", "the secret access key holds a NUL character")]
    [InlineData(ImdsTestData.SessionToken, "\\\"", "the session token holds a quote or a backslash")]
    [InlineData(ImdsTestData.AccessKeyId, "\\ufffd", "the access key id holds a character that is not valid UTF-8")]
    public async Task GetCredentialsAsync_MalformedCredentialValue_RejectedNamingSourceEndpointAndProblem(string value, string injected, string problem)
    {
        string document = ImdsTestData.CredentialsJson(DateTimeOffset.UtcNow.AddHours(1)).Replace(value, injected + value, StringComparison.Ordinal);
        await using LoopbackHttpServer server = await StartImdsAsync(http =>
            http.Request.Path.Value!.Contains(ImdsTestData.RoleName, StringComparison.Ordinal) ? http.Response.WriteAsync(document) : null);
        ImdsCredentialSource source = CreateSut(server.Endpoint);

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal("InstanceMetadata", error.SourceName);
        Assert.StartsWith("InstanceMetadata: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.Authority, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.False(SecretMasker.ContainsSecret(error.ToString(), ImdsTestData.SecretAccessKey, ImdsTestData.SessionToken));
    }

    /// <summary>An IMDS whose <paramref name="hostile"/> handler answers first; where it returns null, a well-behaved IMDS answers.</summary>
    private static Task<LoopbackHttpServer> StartImdsAsync(Func<HttpContext, Task?> hostile) =>
        LoopbackHttpServer.StartAsync(
            async http =>
            {
                if (hostile(http) is { } answered)
                {
                    await answered;
                    return;
                }

                await ImdsTestData.AnswerAsync(http);
            },
            TestContext.Current.CancellationToken);

    private ImdsCredentialSource CreateSut(Uri endpoint, HttpMessageHandler? handler = null)
    {
        _context.Options.InstanceMetadata.Endpoint = endpoint;
        _context.Options.InstanceMetadata.FirstContactTimeout ??= TimeSpan.FromSeconds(2);
        return new ImdsCredentialSource(_context.Build(handler: handler));
    }
}
