namespace WorkloadCredentials.InstanceMetadata;

/// <summary>Options of the EC2 instance metadata (IMDS) source.</summary>
public sealed class ImdsCredentialOptions
{
}
