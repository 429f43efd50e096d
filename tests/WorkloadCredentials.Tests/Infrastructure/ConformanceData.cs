namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>
/// Finds the AWS SDK teams' conformance vectors. They are never copied into this repository: they live in
/// <c>../shared/conformance/</c> beside the project root, or where <c>WORKLOAD_CREDENTIALS_CONFORMANCE_DIR</c> says.
/// Under CI (<c>CI=true</c>) a missing folder fails the test; elsewhere the test is skipped with one message naming the upstream repositories.
/// </summary>
public static class ConformanceData
{
    public const string EnvironmentVariable = "WORKLOAD_CREDENTIALS_CONFORMANCE_DIR";

    public const string MissingMessage =
        "The AWS SDK conformance vectors were not found (looked in ../shared/conformance beside the repository and in $"
        + EnvironmentVariable + "). They come from smithy-lang/smithy-rs, aws/aws-sdk-go-v2 and boto/botocore; see the section 'The two commands' of README.md.";

    private static readonly Lazy<string?> Root = new(Find);

    /// <summary>Gets the conformance folder, or skips (outside CI) or fails (under CI) the calling test.</summary>
    public static string RequireRoot()
    {
        if (Root.Value is { } root)
        {
            return root;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(MissingMessage);
        }

        Assert.Skip(MissingMessage);
        return null!;
    }

    /// <summary>Gets a path inside the conformance folder.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([RequireRoot(), .. parts]);

    /// <summary>Gets whether the data is present (for building theory data without failing at discovery time).</summary>
    public static bool IsAvailable => Root.Value is not null;

    public static string? TryPath(params string[] parts) => Root.Value is { } root ? System.IO.Path.Combine([root, .. parts]) : null;

    private static string? Find()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Directory.Exists(fromEnvironment) ? System.IO.Path.GetFullPath(fromEnvironment) : null;
        }

        string? repositoryRoot = RepositoryRoot.Find();
        if (repositoryRoot is null)
        {
            return null;
        }

        string candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(repositoryRoot, "..", "shared", "conformance"));
        return Directory.Exists(candidate) ? candidate : null;
    }
}
