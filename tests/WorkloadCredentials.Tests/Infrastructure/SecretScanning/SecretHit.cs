namespace WorkloadCredentials.Tests.Infrastructure.SecretScanning;

/// <summary>Where a registered secret (whole, or a fragment of <see cref="SecretRegistry.FragmentLength"/>+ characters) was found in a text.</summary>
public sealed record SecretHit(RegisteredSecret Secret, int Index, int Length);
