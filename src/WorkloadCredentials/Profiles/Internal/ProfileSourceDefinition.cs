using Microsoft.Extensions.Options;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// The shared config profile (<c>AWS_PROFILE</c>, <see cref="WorkloadCredentialsOptions.Profile"/>, or <c>default</c>). A profile
/// with no role gives way to a source that outranks it (web identity from the environment), unless it was chosen explicitly.
/// </summary>
internal sealed class ProfileSourceDefinition : CredentialSourceDefinition
{
    public static ProfileSourceDefinition Instance { get; } = new();

    public override string Name => ProfileConstants.SourceName;

    public override int ChainOrder => 300;

    public override bool IsExcluded(WorkloadCredentialsOptions options) => options.ExcludeProfile;

    public override IAwsCredentialSource Create(SourceBuildContext build) =>
        new ProfileCredentialSource(build.Context, new BuiltInProfileStepFactory(build), webIdentityFirst: build.OutrankingSetting);

    public override void Validate(WorkloadCredentialsOptions options, SettingPath root, ValidateOptionsResultBuilder errors)
    {
        if (options.ExcludeProfile && !string.IsNullOrWhiteSpace(options.Profile))
        {
            errors.AddError($"{root.Key("ExcludeProfile")} is true, but {root.Key("Profile")} chooses a profile: remove one of them.");
        }
    }
}
