using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.InstanceMetadata;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.InstanceMetadata;

/// <summary>
/// The AWS SDKs' IMDS credentials vectors (aws-sdk-go-v2 <c>credentials/ec2rolecreds/imds-credentials-sep-tests.json</c>, 13 cases):
/// extended API with account id, legacy API on 404, a configured profile name, role re-discovery after a 404.
/// Served by an in-memory IMDS that answers the token PUT and then exactly the expected GETs in order (asserting the token
/// header on each), behind a guard that fails on any non-loopback host (the endpoint is set to loopback).
/// As in the Go harness, an expected path ending in <c>security-credentials</c> or <c>security-credentials-extended</c> is
/// requested with a trailing slash.
/// Deliberate difference: role discovery uses the legacy listing only (kube2iam passes the extended paths to the node's real
/// IMDS, which would name the node's role to a pod); credentials are fetched extended-first. The in-memory IMDS maps the
/// vectors' extended listing onto the legacy one and answers 404 to a credentials path the vector does not list.
/// </summary>
public sealed class ImdsCredentialsConformanceTests
{
    private static readonly string[] Vectors = ConformanceCases.GoV2("imds-credentials-sep-tests.json");

    public static IEnumerable<TheoryDataRow<string>> Cases() => ConformanceCases.Rows(Vectors, Select, "summary");

    private const string Legacy = "/latest/meta-data/iam/security-credentials";
    private const string Extended = "/latest/meta-data/iam/security-credentials-extended";

    private static string Expected(JsonElement expectation)
    {
        string expectedPath = expectation.GetProperty("get").GetString()!;
        return expectedPath is Legacy or Extended ? expectedPath + "/" : expectedPath;
    }

    private static IEnumerable<JsonElement> Select(JsonElement root) => root.EnumerateArray();

    private static bool IsListing(string path, string api) => path == api + "/";

    private static int Status(JsonElement expectation) => expectation.GetProperty("response").GetProperty("status").GetInt32();

    private static HttpResponseMessage Respond(JsonElement expectation)
    {
        JsonElement response = expectation.GetProperty("response");
        var status = (HttpStatusCode)response.GetProperty("status").GetInt32();
        string body = response.TryGetProperty("body", out JsonElement b)
            ? b.ValueKind == JsonValueKind.String ? b.GetString()! : b.GetRawText()
            : string.Empty;
        return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8) };
    }

    [Fact]
    public void Vectors_AllThirteenPresent()
    {
        Assert.Equal(13, ConformanceCases.Count(Vectors, Select, "summary"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task GetCredentialsAsync_SepVector_MatchesOutcomes(string summary)
    {
        JsonElement test = ConformanceCases.Get(Vectors, Select, "summary", summary);
        JsonElement config = test.GetProperty("config");

        var context = new HostSourceTestContext();
        context.Options.InstanceMetadata.Endpoint = new Uri("http://127.0.0.1:1");
        if (config.TryGetProperty("envVars", out JsonElement envVars))
        {
            foreach (JsonProperty variable in envVars.EnumerateObject())
            {
                context.Environment[variable.Name] = variable.Value.GetString();
            }
        }

        if (config.GetProperty("ec2InstanceProfileName").GetString() is { } profileName)
        {
            context.Options.InstanceMetadata.InstanceProfileName = profileName;
        }

        var expectations = test.GetProperty("expectations").EnumerateArray().ToList();
        int next = 0;
        int tokens = 0;
        int unrecorded404s = 0;
        var handler = new LoopbackGuardHandler(request =>
        {
            if (request.Method == HttpMethod.Put)
            {
                Assert.Equal("/latest/api/token", request.RequestUri!.AbsolutePath);
                tokens++;
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("vector-imds-token") };
            }

            string path = request.RequestUri!.AbsolutePath;
            Assert.Equal("vector-imds-token", request.Headers.GetValues("X-aws-ec2-metadata-token").Single());

            // Deliberate difference (kube2iam safety, see ImdsCredentialSource.DiscoverAsync): we discover the role on the legacy
            // listing, never the extended one. An expected extended listing that answers 404 (a legacy-only IMDS) is never asked;
            // any other expected extended listing is asked on the legacy path and gets the same answer.
            while (next < expectations.Count && IsListing(Expected(expectations[next]), Extended) && Status(expectations[next]) == 404
                && next + 1 < expectations.Count && IsListing(Expected(expectations[next + 1]), Legacy))
            {
                next++;
            }

            if (next < expectations.Count && IsListing(Expected(expectations[next]), Extended) && IsListing(path, Legacy))
            {
                return Respond(expectations[next++]);
            }

            // Credentials are fetched extended-first, legacy on 404. Where the vector expects the other path for this role, the
            // in-memory IMDS answers 404 as an IMDS (or a proxy) without that path does, without consuming an expectation.
            if (next >= expectations.Count || Expected(expectations[next]) != path)
            {
                unrecorded404s++;
                Assert.True(path.StartsWith(Extended + "/", StringComparison.Ordinal) || path.StartsWith(Legacy + "/", StringComparison.Ordinal), $"unexpected request {path} (call {next})");
                Assert.True(unrecorded404s <= 4, "too many requests off the vector's path");
                return new HttpResponseMessage(HttpStatusCode.NotFound);
            }

            return Respond(expectations[next++]);
        });

        // Expirations in the vectors lie in March 2025: run on a clock before them, so none is "expired on arrival".
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var source = new ImdsCredentialSource(context.Build(time, handler));

        foreach (JsonElement outcome in test.GetProperty("outcomes").EnumerateArray())
        {
            string result = outcome.GetProperty("result").GetString()!;
            switch (result)
            {
                case "credentials":
                    AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
                    Assert.Equal("ASIAIOSFODNN7EXAMPLE", credentials.AccessKeyId);
                    Assert.Equal("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", credentials.SecretAccessKey);
                    Assert.StartsWith("AQoEXAMPLEH4aoAH0gNCAPyJxz4BlCFFxWNE1OPTgk5TthT", credentials.SessionToken);
                    Assert.Equal("InstanceMetadata", credentials.SourceName);
                    Assert.NotNull(credentials.Expiration);
                    Assert.Equal(outcome.TryGetProperty("accountId", out JsonElement accountId) ? accountId.GetString() : null, credentials.AccountId);
                    break;

                case "invalid profile":
                    AwsCredentialException failure = await Assert.ThrowsAsync<AwsCredentialException>(
                        async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));
                    Assert.IsNotType<CredentialUnavailableException>(failure);
                    Assert.False(failure.IsRecoverable);
                    Assert.Contains("invalid profile", failure.Message, StringComparison.Ordinal);
                    Assert.Contains(config.GetProperty("ec2InstanceProfileName").GetString()!, failure.Message, StringComparison.Ordinal);
                    Assert.Contains("127.0.0.1:1", failure.Message, StringComparison.Ordinal);
                    Assert.DoesNotContain("wJalrXUtnFEMI", failure.Message, StringComparison.Ordinal);
                    break;

                case "no credentials":
                    CredentialUnavailableException unavailable = await Assert.ThrowsAsync<CredentialUnavailableException>(
                        async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));
                    Assert.Contains("AWS_EC2_METADATA_DISABLED", unavailable.Message, StringComparison.Ordinal);
                    break;

                default:
                    Assert.Fail("unknown outcome " + result);
                    break;
            }
        }

        Assert.Equal(expectations.Count, next);
        Assert.True(tokens <= 1, "the session token is fetched once and reused");
        Assert.DoesNotContain("wJalrXUtnFEMI", context.AllLogText(), StringComparison.Ordinal);
        Assert.DoesNotContain("vector-imds-token", context.AllLogText(), StringComparison.Ordinal);
    }
}
