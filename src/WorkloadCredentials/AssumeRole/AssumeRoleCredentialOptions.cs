namespace WorkloadCredentials.AssumeRole;

/// <summary>
/// Options of the assume-role source: <c>sts:AssumeRole</c> on top of the credentials the chain resolves (explicit keys, web identity,
/// container, instance profile, ...), for example a customer's role with an External ID.
/// </summary>
/// <remarks>
/// A role set here wraps the default chain. When the source credentials are themselves role credentials (role chaining), STS caps the
/// session at one hour, and a longer <see cref="Duration"/> is lowered to one hour with a warning.
/// </remarks>
public sealed class AssumeRoleCredentialOptions
{
    /// <summary>Gets or sets the ARN of the role to assume, e.g. <c>arn:aws:iam::123456789012:role/backup-writer</c>.</summary>
    /// <value>The default value is <see langword="null"/>: no role is assumed.</value>
    public string? RoleArn { get; set; }

    /// <summary>Gets or sets the External ID the role's trust policy requires (third-party access): 2-1224 characters of letters, digits and <c>+=,.@:/_-</c>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ExternalId { get; set; }

    /// <summary>Gets or sets the role session name, shown in CloudTrail: 2-64 characters of letters, digits and <c>+=,.@_-</c>.</summary>
    /// <value>The default value is <see langword="null"/>: a name made of the application's and the host's names.</value>
    public string? RoleSessionName { get; set; }

    /// <summary>Gets or sets how long the credentials last: between 15 minutes and 12 hours, within the role's maximum session duration.</summary>
    /// <value>The default value is <see langword="null"/>: one hour.</value>
    public TimeSpan? Duration { get; set; }

    /// <summary>Gets or sets an inline session policy (JSON, at most 2048 characters) that further limits the session's permissions.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Policy { get; set; }

    /// <summary>Gets session tags to pass (at most 50; keys 1-128, values 0-256 characters).</summary>
    public IDictionary<string, string> Tags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the source identity to set on the session (2-64 characters of letters, digits and <c>+=,.@_-</c>).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? SourceIdentity { get; set; }
}
