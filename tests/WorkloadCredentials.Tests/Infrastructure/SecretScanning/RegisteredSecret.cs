namespace WorkloadCredentials.Tests.Infrastructure.SecretScanning;

/// <summary>A secret the tests use: where it was registered from (its name), its kind and its value.</summary>
public sealed record RegisteredSecret(string Name, SecretKind Kind, string Value)
{
    /// <summary>Never prints the value: the record may end up in a failure message.</summary>
    public override string ToString() => $"{Kind} '{Name}' ({Value.Length} chars)";
}
