namespace WorkloadCredentials.Profiles.Internal;

/// <summary>A role to assume with the credentials of the previous step: <c>role_arn</c>, <c>external_id</c>, <c>role_session_name</c>, <c>duration_seconds</c>.</summary>
internal sealed class AssumeRoleProfileStep
{
    public AssumeRoleProfileStep(string profileName, string location, string roleArn, string? externalId, string? sessionName, int? durationSeconds)
    {
        ProfileName = profileName;
        Location = location;
        RoleArn = roleArn;
        ExternalId = externalId;
        SessionName = sessionName;
        DurationSeconds = durationSeconds;
    }

    public string ProfileName { get; }

    public string Location { get; }

    public string RoleArn { get; }

    public string? ExternalId { get; }

    public string? SessionName { get; }

    public int? DurationSeconds { get; }

    public string Describe() => $"assume role {RoleArn} of profile '{ProfileName}'";

    public override string ToString() => Describe();
}
