namespace WorkloadCredentials.Diagnostics;

/// <summary>One source of a chain in a <see cref="CredentialSourceDescription"/>: its name, what happened to it and why. Never holds a secret.</summary>
public sealed class CredentialSourceStatusEntry
{
    internal CredentialSourceStatusEntry(string name, CredentialSourceStatus status, string? reason)
    {
        Name = name;
        Status = status;
        Reason = reason;
    }

    /// <summary>Gets the source's name in the chain, such as <c>Environment</c>, <c>Profile</c> or <c>WebIdentity</c>.</summary>
    public string Name { get; }

    /// <summary>Gets what happened to the source during the chain's last full resolution.</summary>
    public CredentialSourceStatus Status { get; }

    /// <summary>
    /// Gets why the source was skipped or failed: its message on one line, prefixed with its name (<c>Environment: AWS_ACCESS_KEY_ID
    /// is not set.</c>); <see langword="null"/> when it was chosen or not tried. Known secrets are masked and control characters escaped.
    /// </summary>
    public string? Reason { get; }

    /// <summary>Describes the entry: <c>Environment: Unavailable (Environment: AWS_ACCESS_KEY_ID is not set.)</c>.</summary>
    /// <returns>The description; never a secret.</returns>
    public override string ToString() => Reason is null ? $"{Name}: {Status}" : $"{Name}: {Status} ({Reason})";
}
