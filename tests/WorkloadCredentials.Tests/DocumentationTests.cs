using System.Reflection;
using System.Text.RegularExpressions;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests;

/// <summary>
/// The README and docs/ stay true to the code: every option has a row in the configuration reference, every relative link and
/// every "See docs/...#anchor" an error message gives leads somewhere, and the README keeps each deployment story.
/// </summary>
public sealed partial class DocumentationTests
{
    private static readonly string Root = RepositoryRoot.Require();

    public static TheoryData<string> OptionKeys()
    {
        var keys = new TheoryData<string>();
        foreach (PropertyInfo section in typeof(WorkloadCredentialsOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            Type type = section.PropertyType;
            if (type.IsClass && type != typeof(string) && type.Name.EndsWith("Options", StringComparison.Ordinal))
            {
                foreach (PropertyInfo option in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    keys.Add($"{section.Name}:{option.Name}");
                }
            }
            else
            {
                keys.Add(section.Name);
            }
        }

        return keys;
    }

    [Theory]
    [MemberData(nameof(OptionKeys))]
    public void ConfigurationReference_EveryOption_HasARow(string key)
    {
        string reference = File.ReadAllText(Path.Combine(Root, "docs", "configuration.md"));

        Assert.Contains($"| `{key}`", reference, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_RelativeLinks_LeadToExistingFilesAndHeadings()
    {
        string[] pages =
        [
            Path.Combine(Root, "README.md"),
            Path.Combine(Root, "src", "WorkloadCredentials.Tool", "README.md"),
            .. Directory.GetFiles(Path.Combine(Root, "docs"), "*.md"),
            .. Directory.GetDirectories(Path.Combine(Root, "samples")).Select(d => Path.Combine(d, "README.md")).Where(File.Exists),
        ];
        var broken = new List<string>();
        int checkedLinks = 0;
        foreach (string page in pages)
        {
            foreach (Match link in MarkdownLink().Matches(File.ReadAllText(page)))
            {
                string target = link.Groups[1].Value;
                if (target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal))
                {
                    continue;
                }

                checkedLinks++;
                string[] parts = target.Split('#', 2);
                string file = parts[0].Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, parts[0]));
                if (!File.Exists(file) && !Directory.Exists(file))
                {
                    broken.Add($"{Path.GetRelativePath(Root, page)}: {target} (no such file)");
                }
                else if (parts.Length == 2 && !Anchors(file).Contains(parts[1]))
                {
                    broken.Add($"{Path.GetRelativePath(Root, page)}: {target} (no such heading)");
                }
            }
        }

        Assert.True(checkedLinks > 20, $"only {checkedLinks} links found: the link pattern is wrong");
        Assert.Empty(broken);
    }

    [Fact]
    public void ErrorMessages_DocsReferences_LeadToExistingHeadings()
    {
        var references = Directory.GetFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(Root, "samples"), "*.cs", SearchOption.AllDirectories))
            .SelectMany(f => DocsReference().Matches(File.ReadAllText(f)).Select(m => m.Value))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        Assert.NotEmpty(references);
        Assert.All(references, reference =>
        {
            string[] parts = reference.Split('#', 2);
            string file = Path.Combine(Root, parts[0]);
            Assert.True(File.Exists(file), $"{reference}: no such file");
            if (parts.Length == 2)
            {
                Assert.True(Anchors(file).Contains(parts[1]), $"{reference}: no such heading");
            }
        });
    }

    [Fact]
    public void Readme_NewcomerPath_TheTwoCommandsEachDeploymentStoryDescribeAndTroubleshooting()
    {
        string readme = File.ReadAllText(Path.Combine(Root, "README.md"));

        Assert.Contains("dotnet run --project samples/BackupUploader", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet test --solution WorkloadCredentials.sln", readme, StringComparison.Ordinal);
        foreach (string story in new[] { "kube2iam", "kiam", "EKS IRSA", "EKS Pod Identity", "ECS task roles", "EC2 instance profile", "External ID", "Developer laptops" })
        {
            Assert.Contains(story, readme, StringComparison.Ordinal);
        }

        Assert.Contains("## Configuration reference", readme, StringComparison.Ordinal);
        Assert.Contains("-- describe", readme, StringComparison.Ordinal);
        Assert.Contains("(docs/TROUBLESHOOTING.md)", readme, StringComparison.Ordinal);
        string troubleshooting = File.ReadAllText(Path.Combine(Root, "docs", "TROUBLESHOOTING.md"));
        foreach (string source in new[] { "StaticKeys", "Environment", "Profile", "WebIdentity", "AssumeRole", "Container", "InstanceMetadata" })
        {
            Assert.Contains(source, troubleshooting, StringComparison.Ordinal);
        }
    }

    /// <summary>The heading anchors of a markdown file, as GitHub makes them.</summary>
    private static HashSet<string> Anchors(string file)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(file))
        {
            Match heading = Heading().Match(line);
            if (heading.Success)
            {
                string text = heading.Groups[1].Value.Trim().ToLowerInvariant();
                anchors.Add(AnchorPunctuation().Replace(text, string.Empty).Replace(' ', '-'));
            }
        }

        return anchors;
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"docs/[A-Za-z-]+\.md(#[a-z0-9-]+)?")]
    private static partial Regex DocsReference();

    [GeneratedRegex(@"^#+\s+(.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\w\- ]")]
    private static partial Regex AnchorPunctuation();
}
