namespace WorkloadCredentials.Chain.Internal;

/// <summary>One line of a <see cref="ChainResolution"/>: a source, what happened to it and why. Never holds a secret.</summary>
/// <param name="SourceName">The source's name in the chain.</param>
/// <param name="Status">What happened to it.</param>
/// <param name="Reason">Why it was skipped or failed (the source's exception message); <see langword="null"/> when chosen or not tried.</param>
internal sealed record ChainResolutionEntry(string SourceName, ChainSourceStatus Status, string? Reason);
