namespace WorkloadCredentials.Tests.Profiles;

/// <summary>A temporary home directory with <c>.aws/config</c> and <c>.aws/credentials</c>, deleted on dispose.</summary>
internal sealed class ProfileFiles : IDisposable
{
    public ProfileFiles(string? config = null, string? credentials = null)
    {
        Home = Directory.CreateTempSubdirectory("wc-profiles-").FullName;
        Directory.CreateDirectory(Path.Combine(Home, ".aws"));
        ConfigPath = Path.Combine(Home, ".aws", "config");
        CredentialsPath = Path.Combine(Home, ".aws", "credentials");
        if (config is not null)
        {
            File.WriteAllText(ConfigPath, config);
        }

        if (credentials is not null)
        {
            File.WriteAllText(CredentialsPath, credentials);
        }
    }

    public string Home { get; }

    public string ConfigPath { get; }

    public string CredentialsPath { get; }

    public void Dispose() => Directory.Delete(Home, recursive: true);
}
