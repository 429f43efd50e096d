using WorkloadCredentials.Sts;

namespace WorkloadCredentials.AssumeRole.Internal;

/// <summary>The names of the settings the assume-role parameters came from, for messages (options keys, or a profile's keys).</summary>
internal sealed record AssumeRoleSettingNames(
    string RoleArn,
    string ExternalId,
    string RoleSessionName,
    string Duration,
    string Policy,
    string Tags,
    string SourceIdentity)
{
    /// <summary>Gets the names of the <c>"AWS:AssumeRole"</c> options.</summary>
    public static AssumeRoleSettingNames Options { get; } = ForOptions(StsConstants.DefaultOptionsRoot);

    /// <summary>Gets the names of the assume-role options bound under <paramref name="root"/> (for example <c>AWS:Backups</c>).</summary>
    public static AssumeRoleSettingNames ForOptions(string root) => new(
        $"{root}:AssumeRole:RoleArn",
        $"{root}:AssumeRole:ExternalId",
        $"{root}:AssumeRole:RoleSessionName",
        $"{root}:AssumeRole:Duration",
        $"{root}:AssumeRole:Policy",
        $"{root}:AssumeRole:Tags",
        $"{root}:AssumeRole:SourceIdentity");

    /// <summary>Gets the names of a shared config profile's keys.</summary>
    public static AssumeRoleSettingNames ForProfile(string profile) => new(
        $"role_arn in profile {profile}",
        $"external_id in profile {profile}",
        $"role_session_name in profile {profile}",
        $"duration_seconds in profile {profile}",
        $"policy in profile {profile}",
        $"tags in profile {profile}",
        $"source_identity in profile {profile}");
}
