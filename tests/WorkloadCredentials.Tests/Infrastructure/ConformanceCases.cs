using System.Text.Json;

namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>
/// Loads a conformance JSON file from <c>../shared/conformance</c> as named cases: one theory row per case, named after it
/// (a repeated name gets " (2)", " (3)"...). When the data is missing there is one row, which skips (or fails under CI).
/// Used by every conformance theory whose vectors are named cases in one JSON file (profiles, container, instance metadata).
/// </summary>
internal static class ConformanceCases
{
    public const string MissingRow = "(conformance data missing)";

    public static string[] SmithyRuntime(string file) => ["smithy-rs", "aws", "rust-runtime", "aws-runtime", "test-data", file];

    public static string[] SmithyConfig(params string[] relative) => ["smithy-rs", "aws", "rust-runtime", "aws-config", "test-data", .. relative];

    public static string[] Botocore(string file) => ["botocore", "tests", "functional", "configured_endpoint_urls", file];

    public static string[] GoV2(string file) => ["aws-sdk-go-v2", "credentials", "ec2rolecreds", file];

    public static IEnumerable<TheoryDataRow<string>> Rows(string[] path, Func<JsonElement, IEnumerable<JsonElement>> select, string nameProperty)
    {
        if (!ConformanceData.IsAvailable)
        {
            yield return new TheoryDataRow<string>(MissingRow) { TestDisplayName = MissingRow };
            yield break;
        }

        foreach (string name in Load(path, select, nameProperty).Keys)
        {
            yield return new TheoryDataRow<string>(name) { TestDisplayName = name };
        }
    }

    /// <summary>Gets the case named <paramref name="name"/>, or skips/fails when the data is missing.</summary>
    public static JsonElement Get(string[] path, Func<JsonElement, IEnumerable<JsonElement>> select, string nameProperty, string name)
    {
        _ = ConformanceData.RequireRoot();
        Dictionary<string, JsonElement> cases = Load(path, select, nameProperty);
        Assert.True(cases.TryGetValue(name, out JsonElement value), $"No conformance case named '{name}'.");
        return value;
    }

    /// <summary>Gets how many cases the file holds, or skips/fails when the data is missing.</summary>
    public static int Count(string[] path, Func<JsonElement, IEnumerable<JsonElement>> select, string nameProperty)
    {
        _ = ConformanceData.RequireRoot();
        return Load(path, select, nameProperty).Count;
    }

    private static Dictionary<string, JsonElement> Load(string[] path, Func<JsonElement, IEnumerable<JsonElement>> select, string nameProperty)
    {
        string file = ConformanceData.TryPath(path) ?? throw new InvalidOperationException(ConformanceData.MissingMessage);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(file));
        var cases = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (JsonElement element in select(document.RootElement))
        {
            string baseName = element.GetProperty(nameProperty).GetString()!;
            string name = baseName;
            for (int n = 2; cases.ContainsKey(name); n++)
            {
                name = $"{baseName} ({n})";
            }

            cases.Add(name, element.Clone());
        }

        return cases;
    }
}
