namespace WorkloadCredentials.Tests.Infrastructure.SecretScanning;

/// <summary>
/// One secret found where it must never be: the test that was running, the channel (log, exception, tool stderr, ...), the
/// secret's kind and name, and an excerpt with every secret masked as <c>***</c> and control characters escaped.
/// </summary>
public sealed record SecretLeak(string Test, string Channel, SecretKind Kind, string SecretName, string MaskedExcerpt)
{
    public override string ToString() => $"{Test}: {Kind} '{SecretName}' in {Channel}: \"{MaskedExcerpt}\"";
}
