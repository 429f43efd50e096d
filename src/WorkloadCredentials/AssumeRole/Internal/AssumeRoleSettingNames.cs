using WorkloadCredentials.Internal;
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
    public static AssumeRoleSettingNames Options { get; } = ForOptions(SettingPath.Configuration(StsConstants.DefaultOptionsRoot).Child("AssumeRole"));

    /// <summary>Gets the names of the assume-role options at <paramref name="path"/> (for example <c>AWS:Backups:AssumeRole</c>).</summary>
    public static AssumeRoleSettingNames ForOptions(SettingPath path) => new(
        path.Key("RoleArn"),
        path.Key("ExternalId"),
        path.Key("RoleSessionName"),
        path.Key("Duration"),
        path.Key("Policy"),
        path.Key("Tags"),
        path.Key("SourceIdentity"));

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
