using System.Net;
using System.Text.Json;
using WorkloadCredentials.InstanceMetadata;
using WorkloadCredentials.InstanceMetadata.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.InstanceMetadata;

/// <summary>
/// The AWS SDKs' IMDS endpoint vectors (smithy-rs <c>imds-config/imds-endpoint-tests.json</c>, 14 cases): explicit endpoint,
/// <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>, the profile's <c>ec2_metadata_service_endpoint</c>, and the endpoint mode from
/// each of those places. Endpoint selection is checked without sending anything (the expected hosts are not loopback).
/// The <c>fs</c> config file is read by a minimal ini reader here: the shared profile parser lives with the profile source,
/// which hands its key lookup to <see cref="ImdsSettings.Resolve"/>.
/// Errors are Rust's texts; ours are mapped by category (a non-recoverable configuration error naming the setting and value),
/// and the mode error keeps the vector's words "is not a valid endpoint mode".
/// </summary>
public sealed class ImdsEndpointConformanceTests
{
    private static readonly string[] File = ConformanceCases.SmithyConfig("imds-config", "imds-endpoint-tests.json");

    public static IEnumerable<TheoryDataRow<string>> Cases() => ConformanceCases.Rows(File, Select, "docs");

    [Fact]
    public void Vectors_AllFourteenPresent()
    {
        Assert.Equal(14, ConformanceCases.Count(File, Select, "docs"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ResolveEndpoint_Vector_MatchesResult(string docs)
    {
        JsonElement test = ConformanceCases.Get(File, Select, "docs", docs);

        var environment = new DictionaryEnvironment();
        foreach (JsonProperty variable in test.GetProperty("env").EnumerateObject())
        {
            environment[variable.Name] = variable.Value.GetString();
        }

        Func<string, string?>? profile = null;
        if (environment.Get("AWS_CONFIG_FILE") is { } configFile)
        {
            string text = test.GetProperty("fs").GetProperty(configFile).GetString()!;
            Dictionary<string, string> defaultProfile = ReadDefaultProfile(text);
            profile = key => defaultProfile.TryGetValue(key, out string? value) ? value : null;
        }

        string? endpointOverride = test.TryGetProperty("endpoint_override", out JsonElement e) ? e.GetString() : null;
        ImdsEndpointMode? modeOverride = test.TryGetProperty("mode_override", out JsonElement m)
            ? Enum.Parse<ImdsEndpointMode>(m.GetString()!, ignoreCase: true)
            : null;

        JsonElement result = test.GetProperty("result");
        if (result.TryGetProperty("Ok", out JsonElement ok))
        {
            Uri endpoint = ImdsSettings.ResolveEndpoint(endpointOverride, modeOverride, environment, profile);
            Assert.Equal(ok.GetString(), endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/latest/api/token");

            // The same selection through the options and the full settings resolution.
            var options = new ImdsCredentialOptions { Endpoint = endpointOverride is null ? null : new Uri(endpointOverride), EndpointMode = modeOverride };
            ImdsSettings settings = ImdsSettings.Resolve(options, environment, profile);
            Assert.Null(settings.ConfigurationError);
            Assert.Equal(endpoint, settings.Endpoint);
        }
        else
        {
            string rustError = result.GetProperty("Err").GetString()!;
            AwsCredentialException error = Assert.Throws<AwsCredentialException>(() => ImdsSettings.ResolveEndpoint(endpointOverride, modeOverride, environment, profile));
            Assert.False(error.IsRecoverable);
            Assert.Equal("InstanceMetadata", error.SourceName);
            if (rustError.Contains("endpoint mode", StringComparison.Ordinal))
            {
                // "`error` is not a valid endpoint mode": the same words, and the setting it came from.
                Assert.Contains(rustError, error.Message, StringComparison.Ordinal);
                Assert.Contains(environment.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") is null ? "ec2_metadata_service_endpoint_mode" : "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", error.Message, StringComparison.Ordinal);
            }
            else
            {
                // "invalid uri character": our message names the variable and the value and says it is not a valid URI.
                Assert.Contains("AWS_EC2_METADATA_SERVICE_ENDPOINT", error.Message, StringComparison.Ordinal);
                Assert.Contains("'not a uri'", error.Message, StringComparison.Ordinal);
                Assert.Contains("invalid uri", error.Message, StringComparison.Ordinal);
            }

            // The source reports the same error when asked for credentials (and sends nothing).
            var context = new HostSourceTestContext();
            foreach (JsonProperty variable in test.GetProperty("env").EnumerateObject())
            {
                context.Environment[variable.Name] = variable.Value.GetString();
            }

            var handler = new LoopbackGuardHandler(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError));
            var source = new ImdsCredentialSource(context.Build(handler: handler), profile);
            AwsCredentialException fromSource = await Assert.ThrowsAsync<AwsCredentialException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));
            Assert.Equal(error.Message, fromSource.Message);
            Assert.Empty(handler.Requests);
        }
    }

    private static IEnumerable<JsonElement> Select(JsonElement root) => root.GetProperty("tests").EnumerateArray();

    private static Dictionary<string, string> ReadDefaultProfile(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool inDefault = false;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith('['))
            {
                inDefault = line == "[default]";
            }
            else if (inDefault && line.Split('=', 2) is [var key, var value])
            {
                values[key.Trim()] = value.Trim();
            }
        }

        return values;
    }
}
