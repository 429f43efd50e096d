namespace WorkloadCredentials.Sts.Internal;

/// <summary>What a failure message needs to know about the call: which source, which role, which token file.</summary>
internal sealed record StsCallContext
{
    public required string SourceName { get; init; }

    /// <summary>Gets the STS operation, e.g. <c>AssumeRoleWithWebIdentity</c>.</summary>
    public required string Operation { get; init; }

    public required string RoleArn { get; init; }

    public required StsClientSettings Settings { get; init; }

    public string? TokenFile { get; init; }

    public bool HasExternalId { get; init; }

    /// <summary>Gets the access key id of the source credentials (assume role), shown redacted.</summary>
    public string? SourceAccessKeyId { get; init; }
}
