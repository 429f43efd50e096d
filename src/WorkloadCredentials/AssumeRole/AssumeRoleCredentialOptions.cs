namespace WorkloadCredentials.AssumeRole;

/// <summary>Options of the sts:AssumeRole source.</summary>
public sealed class AssumeRoleCredentialOptions
{
}
