namespace BackupUploader.Credentials;

/// <summary>What the summary shows about the credentials. Never a secret key or a session token.</summary>
/// <param name="SourceName">The source that produced them, e.g. WebIdentity, AssumeRole, InstanceMetadata.</param>
/// <param name="RoleArn">The role they act as, where known.</param>
/// <param name="Expiration">When they expire (they are refreshed before), or null for long-term keys.</param>
/// <param name="AccessKeyIdPrefix">The access key id redacted by the library (its first characters, then <c>***</c>).</param>
/// <param name="ResolvedBy">What resolved them.</param>
internal sealed record CredentialDescription(string SourceName, string? RoleArn, DateTimeOffset? Expiration, string AccessKeyIdPrefix, string ResolvedBy);
