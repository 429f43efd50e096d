using System.Text.Json;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Profiles;

/// <summary>The cross-SDK profile file parser spec: every case of smithy-rs <c>profile-parser-tests.json</c>.</summary>
public sealed class ProfileFileParserConformanceTests
{
    private static readonly string[] File = ConformanceCases.SmithyRuntime("profile-parser-tests.json");

    public static IEnumerable<TheoryDataRow<string>> Cases() => ConformanceCases.Rows(File, Select, "name");

    [Fact]
    public void Vectors_AllPresent_Has65Cases()
    {
        _ = Infrastructure.ConformanceData.RequireRoot();
        Assert.Equal(65, ConformanceCases.Count(File, Select, "name"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_ConformanceCase_MatchesExpected(string name)
    {
        JsonElement testCase = ConformanceCases.Get(File, Select, "name", name);
        JsonElement input = testCase.GetProperty("input");
        string? config = input.TryGetProperty("configFile", out JsonElement c) ? c.GetString() : null;
        string? credentials = input.TryGetProperty("credentialsFile", out JsonElement k) ? k.GetString() : null;
        JsonElement output = testCase.GetProperty("output");

        if (output.TryGetProperty("errorContaining", out JsonElement error))
        {
            var ex = Assert.Throws<ProfileConfigurationException>(() => ProfileSet.Parse(config, "/c/config", credentials, "/c/credentials"));
            Assert.Equal(ProfileErrorKind.FileFormat, ex.Kind);
            Assert.Contains(error.GetString()!, ex.Message, StringComparison.Ordinal);
            return;
        }

        ProfileSet set = ProfileSet.Parse(config, "/c/config", credentials, "/c/credentials");
        JsonElement expected = output.GetProperty("config");
        Assert.Equal(ToSorted(expected.GetProperty("profiles")), ToSorted(set.Profiles));
        if (expected.TryGetProperty("sso_sessions", out JsonElement ssoSessions))
        {
            Assert.Equal(ToSorted(ssoSessions), ToSorted(set.SsoSessions));
        }
    }

    private static IEnumerable<JsonElement> Select(JsonElement root) => root.GetProperty("tests").EnumerateArray();

    private static string ToSorted(JsonElement sections) =>
        Render(sections.EnumerateObject().Select(s => (s.Name, s.Value.EnumerateObject().Select(p => (p.Name, p.Value.GetString()!)))));

    private static string ToSorted(IReadOnlyDictionary<string, ProfileSection> sections) =>
        Render(sections.Select(s => (s.Key, s.Value.Properties.Select(p => (p.Key, p.Value.Value)))));

    private static string Render(IEnumerable<(string Name, IEnumerable<(string Key, string Value)> Properties)> sections) =>
        string.Join(
            "\n",
            sections.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s =>
                $"[{s.Name}] " + JsonSerializer.Serialize(s.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new[] { p.Key, p.Value }))));
}
