namespace WorkloadCredentials.Tests.Infrastructure;

public static class RepositoryRoot
{
    /// <summary>Walks up from the test assembly to the folder holding WorkloadCredentials.sln.</summary>
    public static string? Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WorkloadCredentials.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    public static string Require() => Find() ?? throw new InvalidOperationException("WorkloadCredentials.sln not found above " + AppContext.BaseDirectory);
}
