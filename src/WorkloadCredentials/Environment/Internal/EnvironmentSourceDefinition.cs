using WorkloadCredentials.Internal;

namespace WorkloadCredentials.EnvironmentKeys.Internal;

/// <summary>Keys from <c>AWS_ACCESS_KEY_ID</c> and the like; also a profile's <c>credential_source = Environment</c>.</summary>
internal sealed class EnvironmentSourceDefinition : CredentialSourceDefinition
{
    public static EnvironmentSourceDefinition Instance { get; } = new();

    public override string Name => EnvironmentCredentialSource.Name;

    public override int ChainOrder => 200;

    public override bool IssuesLongTermKeys => true;

    public override string? ProfileCredentialSource => "Environment";

    public override bool IsExcluded(WorkloadCredentialsOptions options) => options.ExcludeEnvironment;

    public override IAwsCredentialSource Create(SourceBuildContext build) =>
        build.ExplicitProfile is null
            ? new EnvironmentCredentialSource(build.Context.Environment)
            : build.NotConsulted(Name, EnvironmentVariables.AccessKeyId);
}
