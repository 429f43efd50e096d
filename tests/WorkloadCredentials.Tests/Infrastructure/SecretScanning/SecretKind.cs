namespace WorkloadCredentials.Tests.Infrastructure.SecretScanning;

/// <summary>What a registered secret is, for the leak report.</summary>
public enum SecretKind
{
    SecretAccessKey,
    SessionToken,
    WebIdentityToken,
    ExternalId,
    ContainerAuthorizationToken,
    ImdsToken,
}
