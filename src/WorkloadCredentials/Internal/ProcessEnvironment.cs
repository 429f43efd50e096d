namespace WorkloadCredentials.Internal;

/// <summary>Reads the process environment.</summary>
internal sealed class ProcessEnvironment : IEnvironment
{
    public static ProcessEnvironment Instance { get; } = new();

    public string? Get(string name) => System.Environment.GetEnvironmentVariable(name);
}
