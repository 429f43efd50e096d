using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using WorkloadCredentials.Internal;

using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Architecture;

/// <summary>
/// The library's layering, read from its sources: no dependency cycle between folders (the root contract aside), <c>Internal/</c>
/// depending on no source, environment variable names spelled once, event ids inside their area's range, no file over 300 lines.
/// A folder's namespace is its name (<c>Environment/</c> is <c>WorkloadCredentials.EnvironmentKeys</c>), so in C# a file can only reach
/// another folder's types through a <c>using</c> or a qualified name: both are what this reads.
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly string Library = Path.Combine(RepositoryRoot.Require(), "src", "WorkloadCredentials");

    [Fact]
    public void Folders_HaveNoDependencyCycle()
    {
        Dictionary<string, HashSet<string>> graph = FolderGraph();

        List<string> cycles = [];
        foreach (string start in graph.Keys)
        {
            foreach (string next in graph[start])
            {
                if (Reaches(graph, next, start))
                {
                    cycles.Add($"{start} -> {next} -> ... -> {start}");
                }
            }
        }

        Assert.True(cycles.Count == 0, "Folder cycles: " + string.Join("; ", cycles) + Environment.NewLine + Describe(graph));
    }

    [Fact]
    public void InternalFolder_DependsOnNoSource()
    {
        Dictionary<string, HashSet<string>> graph = FolderGraph();

        Assert.Empty(graph.GetValueOrDefault("Internal", []));
    }

    [Fact]
    public void ChainFolder_IsTheOnlyOneThatKnowsEverySource()
    {
        Dictionary<string, HashSet<string>> graph = FolderGraph();
        string[] sources = ["AssumeRole", "Container", "Environment", "InstanceMetadata", "Profiles", "Sso", "StaticKeys", "WebIdentity"];

        // The host sources (environment, container, instance metadata, static keys) know only the shared infrastructure.
        foreach (string host in new[] { "Container", "Environment", "InstanceMetadata", "StaticKeys" })
        {
            Assert.Equal(["Internal"], graph.GetValueOrDefault(host, []).Order());
        }

        Assert.Superset(sources.ToHashSet(), graph["Chain"]);
    }

    [Fact]
    public void EnvironmentVariableNames_AreSpelledOnlyInEnvironmentVariables()
    {
        var offenders = new List<string>();
        foreach (string file in LibraryFiles())
        {
            if (Path.GetFileName(file) == "EnvironmentVariables.cs")
            {
                continue;
            }

            foreach (Match match in VariableLiteral().Matches(StripComments(File.ReadAllText(file))))
            {
                offenders.Add($"{Path.GetRelativePath(Library, file)}: {match.Value}");
            }
        }

        Assert.Empty(offenders);
    }

    [Fact]
    public void EventIds_LieInTheirAreasRange_AndAreUnique()
    {
        // The log classes live beside the one telemetry reporter (Internal/Telemetry); each class is one area's.
        (string Area, int Base)[] areas =
        [
            ("CacheLog", LogEventIds.Cache), ("StsLog", LogEventIds.Sts), ("ProfileLog", LogEventIds.Profiles),
            ("CredentialProcessLog", LogEventIds.Profiles), ("ChainLog", LogEventIds.Chain),
            ("ImdsLog", LogEventIds.InstanceMetadata), ("ContainerLog", LogEventIds.Container), ("StartupLog", LogEventIds.DependencyInjection),
            ("SsoLog", LogEventIds.Sso),
        ];
        var seen = new Dictionary<int, string>();
        int count = 0;
        foreach (Type type in typeof(AwsCredentials).Assembly.GetTypes())
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            {
                if (method.GetCustomAttribute<LoggerMessageAttribute>() is not { } message)
                {
                    continue;
                }

                count++;
                string name = $"{type.FullName}.{method.Name}";
                (string area, int rangeBase) = Assert.Single(areas, a => type.Name == a.Area);
                Assert.InRange(message.EventId, rangeBase, rangeBase + LogEventIds.RangeSize - 1);
                Assert.True(seen.TryAdd(message.EventId, name), $"{name} and {seen.GetValueOrDefault(message.EventId)} share event id {message.EventId} ({area}).");
            }
        }

        Assert.True(count >= 30, $"only {count} [LoggerMessage] methods found");
    }

    [Fact]
    public void LibraryFiles_AreAtMost300Lines()
    {
        var long_ = LibraryFiles()
            .Select(file => (File: Path.GetRelativePath(Library, file), Lines: File.ReadAllLines(file).Length))
            .Where(f => f.Lines > 300)
            .Select(f => $"{f.File}: {f.Lines}")
            .ToList();

        Assert.Empty(long_);
    }

    /// <summary>Folder -> folders it uses (the root files and edges into the root contract left out).</summary>
    internal static Dictionary<string, HashSet<string>> FolderGraph()
    {
        string[] folders = [.. Directory.GetDirectories(Library).Select(Path.GetFileName).Where(d => d is not ("bin" or "obj") && !d!.StartsWith('.'))!];
        var byNamespace = folders.ToDictionary(f => f == "Environment" ? "EnvironmentKeys" : f, f => f, StringComparer.Ordinal);
        var graph = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (string file in LibraryFiles())
        {
            string relative = Path.GetRelativePath(Library, file);
            int slash = relative.IndexOfAny(['/', '\\']);
            if (slash < 0)
            {
                continue;
            }

            string folder = relative[..slash];
            string code = StripStrings(StripComments(File.ReadAllText(file)));
            IEnumerable<string> referenced = QualifiedNamespace().Matches(code).Select(m => m.Groups[1].Value)
                .Concat(RelativeInternal().Matches(code).Select(m => m.Groups[1].Value));
            foreach (string name in referenced)
            {
                if (byNamespace.TryGetValue(name, out string? target) && target != folder)
                {
                    graph[folder].Add(target);
                }
            }
        }

        Assert.True(graph["Chain"].Count >= 7, "the reader found too few dependencies to be trusted:" + Environment.NewLine + Describe(graph));
        return graph;
    }

    internal static string Describe(Dictionary<string, HashSet<string>> graph) =>
        string.Join(Environment.NewLine, graph.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} -> {string.Join(' ', p.Value.Order(StringComparer.Ordinal))}"));

    private static bool Reaches(Dictionary<string, HashSet<string>> graph, string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([from]);
        while (pending.TryPop(out string? current))
        {
            if (current == to)
            {
                return true;
            }

            if (seen.Add(current))
            {
                foreach (string next in graph.GetValueOrDefault(current, []))
                {
                    pending.Push(next);
                }
            }
        }

        return false;
    }

    private static IEnumerable<string> LibraryFiles() =>
        Directory.EnumerateFiles(Library, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string StripComments(string code) => LineComment().Replace(code, string.Empty);

    private static string StripStrings(string code) => StringLiteral().Replace(code, "\"\"");

    [GeneratedRegex(@"//.*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"""(?:\\.|[^""\\\n])*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\bWorkloadCredentials\.(\w+)")]
    private static partial Regex QualifiedNamespace();

    [GeneratedRegex(@"(?<![\.\w])(\w+)\.Internal\.\w")]
    private static partial Regex RelativeInternal();

    [GeneratedRegex(@"""AWS_[A-Z0-9_]+""")]
    private static partial Regex VariableLiteral();
}
