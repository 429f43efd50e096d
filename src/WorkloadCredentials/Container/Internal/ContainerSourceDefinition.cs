using Microsoft.Extensions.Options;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Container.Internal;

/// <summary>Container credentials (ECS task role, EKS Pod Identity); also a profile's <c>credential_source = EcsContainer</c>.</summary>
internal sealed class ContainerSourceDefinition : CredentialSourceDefinition
{
    public static ContainerSourceDefinition Instance { get; } = new();

    public override string Name => ContainerCredentialSource.Name;

    public override int ChainOrder => 500;

    public override bool IssuesRoleCredentials => true;

    public override string? ProfileCredentialSource => "EcsContainer";

    public override bool IsExcluded(WorkloadCredentialsOptions options) => options.ExcludeContainer;

    public override IAwsCredentialSource Create(SourceBuildContext build) => new ContainerCredentialSource(build.Context);

    public override void Validate(WorkloadCredentialsOptions options, SettingPath root, ValidateOptionsResultBuilder errors)
    {
        foreach (string error in ContainerCredentialSource.ValidateOptions(options.Container, root.Child("Container")))
        {
            errors.AddError(error);
        }
    }
}
