namespace WorkloadCredentials.Internal;

/// <summary>The seam through which every source reads environment variables, so tests need not touch the process environment.</summary>
internal interface IEnvironment
{
    /// <summary>Gets a variable, or <see langword="null"/> when it is unset. Blank values are returned as they are.</summary>
    string? Get(string name);
}
