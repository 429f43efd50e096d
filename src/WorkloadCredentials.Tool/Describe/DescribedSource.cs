using WorkloadCredentials.Diagnostics;

namespace WorkloadCredentials.Tool.Describe;

/// <summary>One source of the chain as <c>describe</c> shows it: cleaned, its reason in command-line wording.</summary>
/// <param name="Name">The source's name in the chain.</param>
/// <param name="Status">What happened to it.</param>
/// <param name="Reason">Why it was skipped or failed, or <see langword="null"/>.</param>
internal sealed record DescribedSource(string Name, CredentialSourceStatus Status, string? Reason);
