using WorkloadCredentials.Container;
using WorkloadCredentials.EnvironmentKeys;
using WorkloadCredentials.InstanceMetadata;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles.Internal;

namespace WorkloadCredentials.Chain.Internal;

/// <summary>The built-in sources a profile chain delegates to (<c>credential_source</c>, web identity, assume role).</summary>
internal sealed class BuiltInProfileStepFactory(CredentialSourceContext context, Func<string, string?> profileSettings) : IProfileStepFactory
{
    public IAwsCredentialSource CreateEnvironment() => new EnvironmentCredentialSource(context.Environment);

    public IAwsCredentialSource CreateInstanceMetadata() => new ImdsCredentialSource(context, profileSettings);

    public IAwsCredentialSource CreateContainer() => new ContainerCredentialSource(context);

    public IAwsCredentialSource CreateWebIdentity(ProfileWebIdentityRequest request) =>
        throw new NotSupportedException("STS sources are being merged.");

    public IAwsCredentialSource CreateAssumeRole(IAwsCredentialSource source, ProfileAssumeRoleRequest request) =>
        throw new NotSupportedException("STS sources are being merged.");
}
