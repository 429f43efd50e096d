namespace WorkloadCredentials.Sts;

/// <summary>Options of the shared STS client.</summary>
public sealed class StsOptions
{
}
