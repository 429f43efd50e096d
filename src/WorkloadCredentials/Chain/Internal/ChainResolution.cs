namespace WorkloadCredentials.Chain.Internal;

/// <summary>
/// The record of a chain's last full resolution: which source was chosen and why each other one was skipped. Read by the
/// CLI's <c>describe</c>; holds no secret.
/// </summary>
internal sealed class ChainResolution
{
    public ChainResolution(IReadOnlyList<ChainResolutionEntry> entries, string? ignoredRoleSetting)
    {
        Entries = entries;
        IgnoredRoleSetting = ignoredRoleSetting;
        foreach (ChainResolutionEntry entry in entries)
        {
            if (entry.Status == ChainSourceStatus.Chosen)
            {
                ChosenSourceName = entry.SourceName;
            }
            else if (entry.Status == ChainSourceStatus.Failed)
            {
                FailedSourceName = entry.SourceName;
            }
        }
    }

    /// <summary>Gets one entry per source, in chain order.</summary>
    public IReadOnlyList<ChainResolutionEntry> Entries { get; }

    /// <summary>Gets the name of the source that resolved, or <see langword="null"/> when none did.</summary>
    public string? ChosenSourceName { get; }

    /// <summary>Gets the name of the source that failed and stopped the chain, or <see langword="null"/>.</summary>
    public string? FailedSourceName { get; }

    /// <summary>
    /// Gets the web identity role setting that was ignored because keys won (for example <c>AWS_ROLE_ARN=arn:aws:iam::...</c>),
    /// or <see langword="null"/>.
    /// </summary>
    public string? IgnoredRoleSetting { get; }
}
