using System.Text;
using System.Text.Json;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Profiles;

/// <summary>
/// Configured endpoint precedence: every case of botocore <c>configured_endpoint_urls/profile-tests.json</c>, run twice:
/// as written (S3 / DynamoDB), and rewritten for STS (<c>AWS_ENDPOINT_URL_S3</c> becomes <c>AWS_ENDPOINT_URL_STS</c>, the
/// <c>s3</c> key of a <c>[services]</c> section becomes <c>sts</c>). The resolver is service-agnostic, and every rule the
/// file encodes (code beats environment beats config; service-specific beats global; the three "ignore" switches) is one the
/// profile source's STS client obeys, so all 39 are STS-relevant in the rewritten form. "Client config" is what code passes.
/// The profiles and services are written to a real config file and parsed, so the <c>[services]</c> sub-properties go
/// through the parser. An expected URL of the form <c>https://{service}.{region}.amazonaws.com</c> is the SDK's default:
/// our resolver must then report no configured endpoint.
/// </summary>
public sealed class ProfileEndpointResolverConformanceTests
{
    private static readonly string[] File = ConformanceCases.Botocore("profile-tests.json");

    public static IEnumerable<TheoryDataRow<string>> Cases() => ConformanceCases.Rows(File, Select, "name");

    [Fact]
    public void Vectors_AllPresent_Has39Cases()
    {
        _ = Infrastructure.ConformanceData.RequireRoot();
        Assert.Equal(39, ConformanceCases.Count(File, Select, "name"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolve_ConformanceCase_MatchesExpected(string name) => Run(name, forSts: false);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolve_ConformanceCaseRewrittenForSts_MatchesExpected(string name) => Run(name, forSts: true);

    private static void Run(string name, bool forSts)
    {
        JsonElement testCase = ConformanceCases.Get(File, Select, "name", name);
        JsonElement suite = SuiteRoot();
        string Rename(string s) => forSts ? s.Replace("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_STS", StringComparison.Ordinal) : s;
        string service = testCase.GetProperty("service").GetString()!;
        string actualService = forSts && service == "s3" ? "sts" : service;

        var config = new StringBuilder();
        foreach (JsonProperty section in suite.GetProperty("profiles").EnumerateObject())
        {
            config.Append("[profile ").Append(section.Name).Append("]\n");
            foreach (JsonProperty setting in section.Value.EnumerateObject())
            {
                config.Append(setting.Name).Append(" = ").Append(setting.Value.GetString()).Append('\n');
            }
        }

        foreach (JsonProperty section in suite.GetProperty("services").EnumerateObject())
        {
            config.Append("[services ").Append(section.Name).Append("]\n");
            foreach (JsonProperty serviceSettings in section.Value.EnumerateObject())
            {
                config.Append(forSts && serviceSettings.Name == "s3" ? "sts" : serviceSettings.Name).Append(" =\n");
                foreach (JsonProperty setting in serviceSettings.Value.EnumerateObject())
                {
                    config.Append("  ").Append(setting.Name).Append(" = ").Append(setting.Value.GetString()).Append('\n');
                }
            }
        }

        ProfileSet set = ProfileSet.Parse(config.ToString(), "/c/config", null, null);
        var environment = new DictionaryEnvironment(
            suite.GetProperty("environments").GetProperty(testCase.GetProperty("environment").GetString()!).EnumerateObject()
                .Select(p => KeyValuePair.Create(Rename(p.Name), p.Value.GetString()!)));
        JsonElement client = suite.GetProperty("client_configs").GetProperty(testCase.GetProperty("client_config").GetString()!);
        string? clientEndpoint = client.TryGetProperty("endpoint_url", out JsonElement e) ? e.GetString() : null;
        bool clientIgnores = client.TryGetProperty("ignore_configured_endpoint_urls", out JsonElement i) && i.GetBoolean();
        ProfileSection profile = set.Profiles[testCase.GetProperty("profile").GetString()!];

        ConfiguredEndpoint? endpoint = ProfileEndpointResolver.Resolve(actualService, environment, set, profile, clientEndpoint, clientIgnores);

        string expected = testCase.GetProperty("output").GetProperty("endpointUrl").GetString()!;
        string sdkDefault = $"https://{service}.{profile.Get("region")}.amazonaws.com";
        if (expected == sdkDefault)
        {
            Assert.Null(endpoint);
        }
        else
        {
            Assert.NotNull(endpoint);
            Assert.Equal(expected, endpoint.Url);
        }
    }

    private static JsonElement SuiteRoot()
    {
        using JsonDocument document = JsonDocument.Parse(System.IO.File.ReadAllText(Infrastructure.ConformanceData.Path(File)));
        return Assert.Single(document.RootElement.GetProperty("testSuites").EnumerateArray()).Clone();
    }

    private static IEnumerable<JsonElement> Select(JsonElement root) =>
        root.GetProperty("testSuites").EnumerateArray().SelectMany(s => s.GetProperty("endpointUrlTests").EnumerateArray());
}
