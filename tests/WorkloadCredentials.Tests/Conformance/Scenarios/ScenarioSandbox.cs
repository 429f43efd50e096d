using System.Text.RegularExpressions;

namespace WorkloadCredentials.Tests.Conformance.Scenarios;

/// <summary>
/// A scenario's <c>fs/</c> copied to a fresh temporary folder that stands in for <c>/</c>: absolute paths in the environment
/// (<c>HOME</c> and the <c>*_FILE</c> variables) and in the config files (<c>*_file = /...</c> keys such as
/// <c>web_identity_token_file</c>) are rewritten into it. Deleted on dispose.
/// </summary>
internal sealed partial class ScenarioSandbox : IDisposable
{
    private ScenarioSandbox(string root, IReadOnlyDictionary<string, string> environment)
    {
        Root = root;
        Environment = environment;
    }

    /// <summary>Gets the folder that stands in for <c>/</c>.</summary>
    public string Root { get; }

    /// <summary>Gets the scenario's whole environment, paths rewritten.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public static ScenarioSandbox Create(SmithyScenario scenario)
    {
        string root = Path.Combine(Path.GetTempPath(), "wc-scenario-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        if (Directory.Exists(scenario.FileSystem))
        {
            foreach (string file in Directory.GetFiles(scenario.FileSystem, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(scenario.FileSystem, file);
                string target = Path.Combine(root, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                string text = File.ReadAllText(file);
                File.WriteAllText(target, IsAwsConfigFile(relative) ? RewriteConfig(text, root) : text);
            }
        }

        var environment = scenario.Environment.ToDictionary(
            p => p.Key,
            p => IsPathVariable(p.Key) && p.Value.StartsWith('/') ? Map(root, p.Value) : p.Value,
            StringComparer.Ordinal);
        return new ScenarioSandbox(root, environment);
    }

    /// <summary>Maps an absolute path of the scenario (<c>/token.jwt</c>) into the sandbox.</summary>
    public static string Map(string root, string absolute) =>
        Path.Combine(root, absolute.TrimStart('/').Replace('/', Path.DirectorySeparatorChar));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temporary folder
        }
    }

    private static bool IsPathVariable(string name) => name == "HOME" || name.EndsWith("_FILE", StringComparison.Ordinal);

    private static bool IsAwsConfigFile(string relative)
    {
        string name = Path.GetFileName(relative);
        return name is "config" or "credentials";
    }

    private static string RewriteConfig(string text, string root) =>
        PathSetting().Replace(text, m => m.Groups["key"].Value + Map(root, m.Groups["path"].Value.TrimEnd()));

    [GeneratedRegex(@"^(?<key>[ \t]*[A-Za-z0-9_]+_file[ \t]*=[ \t]*)(?<path>/[^\r\n]*)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex PathSetting();
}
