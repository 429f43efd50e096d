namespace WorkloadCredentials.Profiles.Internal;

/// <summary>An assume-role step of a profile chain: sts:AssumeRole signed with the previous step's credentials.</summary>
internal sealed record ProfileAssumeRoleRequest
{
    public ProfileAssumeRoleRequest(string roleArn, string? externalId, string? sessionName, TimeSpan? duration, ProfileStsSettings sts)
    {
        RoleArn = roleArn;
        ExternalId = externalId;
        SessionName = sessionName;
        Duration = duration;
        Sts = sts;
    }

    public string RoleArn { get; }

    /// <summary>Gets <c>external_id</c> (third-party access), or <see langword="null"/>.</summary>
    public string? ExternalId { get; }

    /// <summary>Gets <c>role_session_name</c>, or <see langword="null"/> to let the source choose one.</summary>
    public string? SessionName { get; }

    /// <summary>Gets <c>duration_seconds</c>, or <see langword="null"/> for STS's default.</summary>
    public TimeSpan? Duration { get; }

    public ProfileStsSettings Sts { get; }

    /// <summary>Describes the request without the External ID (a secret), unlike a record's generated text.</summary>
    /// <returns>The role, session name and duration, and whether an External ID is configured.</returns>
    public override string ToString() =>
        $"AssumeRole {RoleArn} (session name {SessionName ?? "default"}, duration {Duration?.ToString() ?? "default"}, External ID {(ExternalId is null ? "none" : "configured")})";
}
