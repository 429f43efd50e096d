using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Conformance.Scenarios;

/// <summary>
/// One smithy-rs credentials scenario (<c>aws-config/test-data/&lt;suite&gt;/&lt;name&gt;/</c>): the whole environment
/// (<c>env.json</c>), the file system mounted as <c>/</c> (<c>fs/</c>), the recorded HTTP traffic (<c>http-traffic.json</c>)
/// and the expected result (<c>test-case.json</c>). Read from the shared conformance folder, never copied into the repository.
/// </summary>
internal sealed class SmithyScenario
{
    public const string DataFolder = "smithy-rs/aws/rust-runtime/aws-config/test-data";

    public const string DefaultChainSuite = "default-credential-provider-chain";

    public const string ProfileProviderSuite = "profile-provider";

    private SmithyScenario(string suite, string name, string folder)
    {
        Suite = suite;
        Name = name;
        Folder = folder;

        using (JsonDocument env = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "env.json"))))
        {
            Environment = env.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
        }

        using (JsonDocument testCase = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "test-case.json"))))
        {
            JsonElement result = testCase.RootElement.GetProperty("result");
            if (result.TryGetProperty("Ok", out JsonElement ok))
            {
                Expected = new ExpectedCredentials(
                    ok.GetProperty("access_key_id").GetString()!,
                    ok.GetProperty("secret_access_key").GetString()!,
                    ok.TryGetProperty("session_token", out JsonElement token) ? token.GetString() : null,
                    ok.TryGetProperty("account_id", out JsonElement account) ? account.GetString() : null,
                    ok.TryGetProperty("expiry", out JsonElement expiry) ? expiry.GetInt64() : null);
            }
            else
            {
                ExpectedErrorContains = result.GetProperty("ErrorContains").GetString();
            }
        }

        string traffic = Path.Combine(folder, "http-traffic.json");
        Exchanges = File.Exists(traffic) ? ReadTraffic(traffic) : [];
    }

    public string Suite { get; }

    public string Name { get; }

    /// <summary>Gets the theory row: <c>suite/name</c>, the scenario's folder.</summary>
    public string Id => Suite + "/" + Name;

    public string Folder { get; }

    public string FileSystem => Path.Combine(Folder, "fs");

    public IReadOnlyDictionary<string, string> Environment { get; }

    public ExpectedCredentials? Expected { get; }

    /// <summary>Gets the Rust error text the run must fail with (mapped to one of our categories), or <see langword="null"/> on success.</summary>
    public string? ExpectedErrorContains { get; }

    public IReadOnlyList<RecordedExchange> Exchanges { get; }

    /// <summary>Scenarios of the AWS SSO provider (<c>sso_*</c>, <c>*_sso*</c>): in scope since the IAM Identity Center profiles.</summary>
    public static bool IsSso(string name) => name.StartsWith("sso_", StringComparison.Ordinal) || name.Contains("_sso", StringComparison.Ordinal);

    /// <summary>The scenario names of a suite, all in scope (folder names, sorted), or one placeholder row when the data is missing.</summary>
    public static TheoryData<string> Rows(string suite)
    {
        var rows = new TheoryData<string>();
        if (ConformanceData.TryPath(DataFolder, suite) is { } path && Directory.Exists(path))
        {
            foreach (string name in InScopeNames(path))
            {
                rows.Add(name);
            }
        }
        else
        {
            rows.Add("(conformance data missing)");
        }

        return rows;
    }

    public static IReadOnlyList<string> InScopeNames(string suiteFolder) =>
        Directory.GetDirectories(suiteFolder)
            .Select(Path.GetFileName)
            .Select(n => n!)
            .Order(StringComparer.Ordinal)
            .ToList();

    public static SmithyScenario Load(string suite, string name) =>
        new(suite, name, ConformanceData.Path(DataFolder, suite, name));

    private static List<RecordedExchange> ReadTraffic(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("V0", document.RootElement.GetProperty("version").GetString());
        var order = new List<int>();
        var requests = new Dictionary<int, JsonElement>();
        var responses = new Dictionary<int, JsonElement>();
        var bodies = new Dictionary<int, StringBuilder>();
        foreach (JsonElement e in document.RootElement.GetProperty("events").EnumerateArray())
        {
            int id = e.GetProperty("connection_id").GetInt32();
            JsonElement action = e.GetProperty("action");
            if (action.TryGetProperty("Request", out JsonElement request))
            {
                order.Add(id);
                requests[id] = request.GetProperty("request").Clone();
            }
            else if (action.TryGetProperty("Response", out JsonElement response))
            {
                responses[id] = response.GetProperty("response").GetProperty("Ok").Clone();
            }
            else if (action.TryGetProperty("Data", out JsonElement data)
                && data.GetProperty("direction").GetString() == "Response")
            {
                if (!bodies.TryGetValue(id, out StringBuilder? body))
                {
                    bodies[id] = body = new StringBuilder();
                }

                body.Append(data.GetProperty("data").GetProperty("Utf8").GetString());
            }
        }

        return order.Select(id =>
        {
            JsonElement request = requests[id];
            Assert.True(responses.TryGetValue(id, out JsonElement response), $"{path}: connection {id} has no recorded response");
            return new RecordedExchange(
                id,
                request.GetProperty("method").GetString()!,
                new Uri(request.GetProperty("uri").GetString()!, UriKind.Absolute),
                ReadHeaders(request.GetProperty("headers")),
                (HttpStatusCode)response.GetProperty("status").GetInt32(),
                ReadHeaders(response.GetProperty("headers")),
                bodies.TryGetValue(id, out StringBuilder? b) ? b.ToString() : string.Empty);
        }).ToList();
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadHeaders(JsonElement headers) =>
        headers.EnumerateObject().ToDictionary(
            h => h.Name.ToLowerInvariant(),
            h => (IReadOnlyList<string>)h.Value.EnumerateArray().Select(v => v.GetString()!).ToList(),
            StringComparer.OrdinalIgnoreCase);

    public override string ToString() => Id;
}

/// <summary>The credentials a scenario expects; a <see langword="null"/> field must be absent.</summary>
internal sealed record ExpectedCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken, string? AccountId, long? Expiry)
{
    public string ExpiryText => Expiry is { } e
        ? DateTimeOffset.FromUnixTimeSeconds(e).ToString("O", CultureInfo.InvariantCulture)
        : "(none)";
}
