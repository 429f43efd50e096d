using Microsoft.Extensions.Options;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Sts;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.AssumeRole.Internal;

/// <summary>
/// <c>sts:AssumeRole</c> from <see cref="WorkloadCredentialsOptions.AssumeRole"/>, with an optional External ID: it wraps whatever the
/// chain resolved (keys, web identity, the instance profile...), so it comes after every link.
/// </summary>
internal sealed class AssumeRoleSourceDefinition : CredentialSourceDefinition
{
    public static AssumeRoleSourceDefinition Instance { get; } = new();

    public override string Name => StsConstants.AssumeRoleSourceName;

    public override int ChainOrder => 1000;

    public override bool WrapsChain => true;

    public override bool IssuesRoleCredentials => true;

    public override IAwsCredentialSource Create(SourceBuildContext build)
    {
        IAwsCredentialSource inner = build.Inner ?? throw new ArgumentException("Assume role wraps a source: SourceBuildContext.Inner is not set.", nameof(build));
        return AssumeRoleChainWrapper.Wrap(inner, build.Context, build.RegionHint, build.IsRoleSource);
    }

    public override void Validate(WorkloadCredentialsOptions options, SettingPath root, ValidateOptionsResultBuilder errors)
    {
        AssumeRoleCredentialOptions assumeRole = options.AssumeRole ?? new AssumeRoleCredentialOptions();
        bool configured = AssumeRoleChainWrapper.IsConfigured(options);
        bool anyOtherSetting = !string.IsNullOrEmpty(assumeRole.ExternalId) || StsSettingsResolver.Blank(assumeRole.RoleSessionName) is not null
            || assumeRole.Duration is not null || StsSettingsResolver.Blank(assumeRole.Policy) is not null || assumeRole.Tags.Count > 0
            || StsSettingsResolver.Blank(assumeRole.SourceIdentity) is not null;
        if (!configured && !anyOtherSetting)
        {
            return;
        }

        SettingPath path = root.Child("AssumeRole");
        AssumeRoleSettingNames names = AssumeRoleSettingNames.ForOptions(path);
        string? missingRoleArn = configured
            ? null
            : $"{names.RoleArn} is required when other {path} settings (ExternalId, RoleSessionName, Duration, Policy, Tags, SourceIdentity) are set.";
        foreach (string error in AssumeRoleSettings.Validate(
            assumeRole.RoleArn, assumeRole.ExternalId, assumeRole.RoleSessionName, assumeRole.Duration, assumeRole.Policy, assumeRole.Tags,
            assumeRole.SourceIdentity, names, missingRoleArn))
        {
            errors.AddError(error);
        }
    }
}
