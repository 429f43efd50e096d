using System.Net;
using Microsoft.AspNetCore.Http;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;
using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.Telemetry;

/// <summary>
/// Whole refreshes through the default chain with known secrets (minted: registered with the suite's scanner, so any 12-character
/// fragment is found): every span attribute, span event, metric tag and log line observed is searched for any fragment of any
/// secret (keys, session tokens, web identity and container tokens, External IDs), and for the whole access key ids.
/// </summary>
public sealed class TelemetrySecretTests : IDisposable
{
    private const string RoleArn = "arn:aws:iam::210987654321:role/secret-scan-role";
    private readonly string _directory = Directory.CreateTempSubdirectory("wc-telemetry-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task WebIdentityThenAssumeRoleWithExternalId_RetriedAndRefused_NoFragmentOfAnySecretInSpansMetricsOrLogs()
    {
        using var kit = new TelemetryTestKit();
        string webToken = SecretRegistry.Mint(SecretKind.WebIdentityToken);
        string externalId = SecretRegistry.Mint(SecretKind.ExternalId);
        string webSecret = SecretRegistry.Mint(SecretKind.SecretAccessKey);
        string webSession = SecretRegistry.Mint(SecretKind.SessionToken);
        string roleSecret = SecretRegistry.Mint(SecretKind.SecretAccessKey);
        string roleSession = SecretRegistry.Mint(SecretKind.SessionToken);
        bool refuse = false;
        await using var sts = await StsFaultServer.StartAsync((request, _) => Task.FromResult<StsReply?>(
            request.Index == 0 ? StsReply.Error(503, "ServiceUnavailable", $"busy; token {webToken}", "Receiver") // retried
            : request.Action == "AssumeRoleWithWebIdentity"
                ? StsReply.Ok(StsXml.AssumeRoleWithWebIdentity("ASIAWEBIDSCANNED0001", webSecret, webSession, DateTimeOffset.UtcNow.AddHours(1)))
            : refuse ? StsReply.Error(403, "AccessDenied", $"external id {externalId} and key {webSecret} refused")
            : StsReply.Ok(StsXml.AssumeRole("ASIAROLESCANNED00001", roleSecret, roleSession, DateTimeOffset.UtcNow.AddHours(1), RoleArn + "/s"))));
        string tokenFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenFile, webToken, TestContext.Current.CancellationToken);
        var environment = new DictionaryEnvironment
        {
            ["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/pod-role",
            ["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        var options = new WorkloadCredentialsOptions { Region = "eu-west-1" };
        options.Sts.EndpointUrl = sts.Endpoint.ToString();
        options.Sts.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        options.AssumeRole.RoleArn = RoleArn;
        options.AssumeRole.ExternalId = externalId;
        using RefreshingCredentialCache cache = AwsCredentialSources.CreateDefault(kit.Context(options, environment));

        AwsCredentials credentials = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        Assert.Equal(roleSecret, credentials.SecretAccessKey); // the secrets went all the way through
        refuse = true;
        cache.Invalidate(credentials.AccessKeyId);
        _ = await Assert.ThrowsAnyAsync<AwsCredentialException>(async () => await cache.GetCredentialsAsync(TestContext.Current.CancellationToken));

        string observed = kit.AllText();
        Assert.Contains("sts.AssumeRoleWithWebIdentity", observed, StringComparison.Ordinal);
        Assert.Contains("sts.AssumeRole\n", observed.Replace(" ", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains(RoleArn, observed, StringComparison.Ordinal);
        Assert.Contains("retry", observed, StringComparison.Ordinal);
        Assert.Contains("workload_credentials.cache.invalidations", observed, StringComparison.Ordinal);
        AssertNoSecret(kit, observed, "ASIAWEBIDSCANNED0001", "ASIAROLESCANNED00001");
    }

    [Fact]
    public async Task ContainerWithAuthorizationTokenFile_NoFragmentOfAnySecretInSpansMetricsOrLogs()
    {
        using var kit = new TelemetryTestKit();
        string authorization = SecretRegistry.Mint(SecretKind.ContainerAuthorizationToken);
        string secret = SecretRegistry.Mint(SecretKind.SecretAccessKey);
        string session = SecretRegistry.Mint(SecretKind.SessionToken);
        int calls = 0;
        await using LoopbackHttpServer server = await LoopbackHttpServer.StartAsync(
            async http =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    http.Response.StatusCode = (int)HttpStatusCode.ServiceUnavailable; // retried
                    await http.Response.WriteAsync($"busy, token {authorization}");
                    return;
                }

                await http.Response.WriteAsync(
                    $$"""{"AccessKeyId":"ASIACONTAINERSCAN001","SecretAccessKey":"{{secret}}","Token":"{{session}}","Expiration":"{{DateTimeOffset.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}}"}""");
            },
            TestContext.Current.CancellationToken);
        string tokenFile = Path.Combine(_directory, "container-token");
        await File.WriteAllTextAsync(tokenFile, authorization, TestContext.Current.CancellationToken);
        var environment = new DictionaryEnvironment
        {
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = new Uri(server.Endpoint, "/v1/credentials").ToString(),
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = tokenFile,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        using RefreshingCredentialCache cache = AwsCredentialSources.CreateDefault(kit.Context(new WorkloadCredentialsOptions(), environment));

        AwsCredentials credentials = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(secret, credentials.SecretAccessKey);
        Assert.Equal(authorization, server.Requests[^1].Header("Authorization"));
        string observed = kit.AllText();
        Assert.Contains("container.GetCredentials", observed, StringComparison.Ordinal);
        Assert.Contains("workload_credentials.attempts=2", observed, StringComparison.Ordinal);
        AssertNoSecret(kit, observed, "ASIACONTAINERSCAN001");
    }

    private static void AssertNoSecret(TelemetryTestKit kit, string observed, params string[] accessKeyIds)
    {
        Assert.NotEmpty(kit.Spans);
        Assert.NotEmpty(kit.Measurements);
        Assert.NotEmpty(kit.Logs.GetSnapshot());
        IReadOnlyList<SecretHit> hits = SecretRegistry.Find(observed);
        Assert.True(hits.Count == 0, "Secrets in telemetry: " + string.Join(", ", hits.Select(h => h.Secret.Name)));
        string tags = kit.SpanAndMetricText();
        foreach (string keyId in accessKeyIds)
        {
            Assert.DoesNotContain(keyId, tags, StringComparison.Ordinal); // tags never carry an access key id, not even a whole one
        }
    }
}
