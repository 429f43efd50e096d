namespace WorkloadCredentials.Tool.Internal;

/// <summary>The global options of every command.</summary>
/// <param name="Profile"><c>--profile</c>: the shared config profile (<see cref="WorkloadCredentialsOptions.Profile"/>), or <see langword="null"/> for <c>AWS_PROFILE</c>/default.</param>
/// <param name="Region"><c>--region</c>: the region for STS calls (<see cref="WorkloadCredentialsOptions.Region"/>), or <see langword="null"/> for <c>AWS_REGION</c>/<c>AWS_DEFAULT_REGION</c>/the profile's.</param>
/// <param name="Verbose"><c>--verbose</c>: the library's debug logs on stderr (they never contain a secret).</param>
internal sealed record ToolSettings(string? Profile, string? Region, bool Verbose)
{
    /// <summary>Sets the global options on the library's options.</summary>
    public void Configure(WorkloadCredentialsOptions options)
    {
        options.Profile = Profile;
        options.Region = Region;
    }
}
