using Microsoft.Extensions.Options;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.InstanceMetadata.Internal;

/// <summary>The EC2 instance profile through IMDS (also behind kube2iam/kiam); also a profile's <c>credential_source = Ec2InstanceMetadata</c>.</summary>
internal sealed class InstanceMetadataSourceDefinition : CredentialSourceDefinition
{
    public static InstanceMetadataSourceDefinition Instance { get; } = new();

    public override string Name => ImdsCredentialSource.Name;

    public override int ChainOrder => 600;

    public override bool IssuesRoleCredentials => true;

    public override string? ProfileCredentialSource => "Ec2InstanceMetadata";

    public override bool IsExcluded(WorkloadCredentialsOptions options) => options.ExcludeInstanceMetadata;

    public override IAwsCredentialSource Create(SourceBuildContext build) => new ImdsCredentialSource(build.Context, build.ProfileSettings);

    public override void Validate(WorkloadCredentialsOptions options, SettingPath root, ValidateOptionsResultBuilder errors)
    {
        foreach (string error in ImdsSettings.Validate(options.InstanceMetadata, root.Child("InstanceMetadata")))
        {
            errors.AddError(error);
        }
    }
}
