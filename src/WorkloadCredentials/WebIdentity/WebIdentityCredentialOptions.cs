namespace WorkloadCredentials.WebIdentity;

/// <summary>Options of the web identity (EKS IRSA) source.</summary>
public sealed class WebIdentityCredentialOptions
{
}
