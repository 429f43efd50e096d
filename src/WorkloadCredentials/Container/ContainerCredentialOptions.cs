namespace WorkloadCredentials.Container;

/// <summary>Options of the container credentials source (ECS, EKS Pod Identity).</summary>
public sealed class ContainerCredentialOptions
{
}
