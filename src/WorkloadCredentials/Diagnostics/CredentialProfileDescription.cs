namespace WorkloadCredentials.Diagnostics;

/// <summary>
/// The shared config profile behind credentials the profile source resolved: which profile, why that one, its plan and the files
/// read. Never holds a secret: static keys appear redacted in <see cref="Plan"/>, External IDs only as the names of the profiles that set one.
/// </summary>
public sealed class CredentialProfileDescription
{
    internal CredentialProfileDescription(
        string name,
        CredentialProfileOrigin origin,
        string plan,
        string? configFile,
        string? credentialsFile,
        IReadOnlyList<string> externalIdProfiles)
    {
        Name = name;
        Origin = origin;
        Plan = plan;
        ConfigFile = configFile;
        CredentialsFile = credentialsFile;
        ExternalIdProfiles = externalIdProfiles;
    }

    /// <summary>Gets the selected profile's name.</summary>
    public string Name { get; }

    /// <summary>Gets how the profile was selected.</summary>
    public CredentialProfileOrigin Origin { get; }

    /// <summary>
    /// Gets the profile's plan, each step's origin named: <c>static keys AKIA1234*** of profile 'base' -&gt; assume role
    /// arn:aws:iam::111122223333:role/dev of profile 'dev'</c>.
    /// </summary>
    public string Plan { get; }

    /// <summary>Gets the shared config file read, or <see langword="null"/> when none is known.</summary>
    public string? ConfigFile { get; }

    /// <summary>Gets the shared credentials file read, or <see langword="null"/> when none is known.</summary>
    public string? CredentialsFile { get; }

    /// <summary>Gets the profiles of the plan whose role sends an External ID (<c>external_id</c>), in plan order; never the value.</summary>
    public IReadOnlyList<string> ExternalIdProfiles { get; }

    /// <summary>
    /// Gets when the IAM Identity Center (SSO) access token that <c>aws sso login</c> cached for this profile expires, when the plan
    /// starts with SSO settings and the cache file can be read; otherwise <see langword="null"/>. Never the token.
    /// </summary>
    public DateTimeOffset? SsoTokenExpiration { get; internal init; }

    /// <summary>Describes the profile: <c>dev (Environment): static keys AKIA1234*** of profile 'base' -&gt; assume role ...</c>.</summary>
    /// <returns>The description; never a secret.</returns>
    public override string ToString() => $"{Name} ({Origin}): {Plan}";
}
