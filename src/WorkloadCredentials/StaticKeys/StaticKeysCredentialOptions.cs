namespace WorkloadCredentials.StaticKeys;

/// <summary>Options of explicit keys given in options or configuration. When set, they win over every other source.</summary>
public sealed class StaticKeysCredentialOptions
{
    /// <summary>Gets or sets the access key id. Blank counts as unset.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>Gets or sets the secret access key. Blank counts as unset. Keep it in a secret store, never in a committed file.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>Gets or sets the session token of temporary keys. Blank counts as unset.</summary>
    public string? SessionToken { get; set; }

    /// <summary>Gets or sets the account id the keys belong to, where known.</summary>
    public string? AccountId { get; set; }
}
