namespace WorkloadCredentials.Internal;

internal static class EnvironmentExtensions
{
    /// <summary>Gets a variable with blank values treated as unset, trimmed.</summary>
    public static string? GetNonBlank(this IEnvironment environment, string name)
    {
        string? value = environment.Get(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>Reads a boolean flag the AWS way: <c>true</c> in any casing is true, anything else false.</summary>
    public static bool GetFlag(this IEnvironment environment, string name) =>
        string.Equals(environment.GetNonBlank(name), "true", StringComparison.OrdinalIgnoreCase);
}
