namespace WorkloadCredentials.Profiles.Internal;

/// <summary><c>credential_source = Environment | Ec2InstanceMetadata | EcsContainer</c>: another built-in source supplies the first credentials.</summary>
internal sealed class NamedSourceProfileStep : ProfileBaseStep
{
    public NamedSourceProfileStep(string profileName, string location, ProfileCredentialSourceKind source)
        : base(profileName, location)
    {
        Source = source;
    }

    public ProfileCredentialSourceKind Source { get; }

    public override string Describe() => $"credential_source {Source} of profile '{ProfileName}'";
}
