namespace WorkloadCredentials.Profiles.Internal;

/// <summary><c>credential_process</c>: an external program prints the credentials as JSON (<c>Version</c> 1).</summary>
internal sealed class CredentialProcessProfileStep : ProfileBaseStep
{
    public CredentialProcessProfileStep(string profileName, string location, string commandLine, string? accountId)
        : base(profileName, location)
    {
        CommandLine = commandLine;
        AccountId = accountId;
    }

    /// <summary>Gets the command line. It may carry a secret argument: messages name only its program.</summary>
    public string CommandLine { get; }

    /// <summary>Gets the profile's <c>aws_account_id</c>, used when the process does not print an <c>AccountId</c>.</summary>
    public string? AccountId { get; }

    public override string Describe() => $"credential_process of profile '{ProfileName}'";
}
