namespace BackupUploader.Credentials;

/// <summary>What the uploader asks of the credential chain. Unset values fall back to the environment, as the AWS SDKs do.</summary>
internal sealed record CredentialRequest
{
    /// <summary>Gets the region for STS.</summary>
    public string? Region { get; init; }

    /// <summary>Gets a role to assume on top of whatever the chain resolves.</summary>
    public string? RoleArn { get; init; }

    /// <summary>Gets the External ID the role's trust policy requires.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Gets the role session name (shows in CloudTrail).</summary>
    public string? RoleSessionName { get; init; }

    /// <summary>Gets the web identity role (local mode: the emulated EKS IRSA role).</summary>
    public string? WebIdentityRoleArn { get; init; }

    /// <summary>Gets the web identity token file (local mode: the emulated projected service account token).</summary>
    public string? WebIdentityTokenFile { get; init; }
}
