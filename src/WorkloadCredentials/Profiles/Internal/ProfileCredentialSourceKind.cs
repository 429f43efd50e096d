namespace WorkloadCredentials.Profiles.Internal;

/// <summary>The values of <c>credential_source</c>, spelled as in the config file.</summary>
internal enum ProfileCredentialSourceKind
{
    /// <summary><c>Environment</c>: <c>AWS_ACCESS_KEY_ID</c> / <c>AWS_SECRET_ACCESS_KEY</c>.</summary>
    Environment,

    /// <summary><c>Ec2InstanceMetadata</c>: the EC2 instance profile through IMDS.</summary>
    Ec2InstanceMetadata,

    /// <summary><c>EcsContainer</c>: container credentials (ECS task role, EKS Pod Identity).</summary>
    EcsContainer,
}
