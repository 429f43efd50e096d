namespace WorkloadCredentials.Chain.Internal;

/// <summary>One source in a <see cref="CredentialChain"/>, with the name the chain reports it by.</summary>
/// <param name="Name">The name used in the chain's messages, logs and resolution record (the built-in sources use their SourceName).</param>
/// <param name="Source">The source.</param>
/// <param name="IsKeys">
/// <see langword="true"/> for sources of long-lived keys (explicit or environment keys): when one wins while web identity role settings
/// are present, the chain warns that the role is ignored.
/// </param>
/// <param name="Owned">
/// <see langword="true"/> when the chain owns the source and disposes it with itself: it built it, or it was handed it by
/// <see cref="AwsCredentialSources.Chain"/>. The options' custom sources stay the application's.
/// </param>
internal readonly record struct ChainLink(string Name, IAwsCredentialSource Source, bool IsKeys = false, bool Owned = false);
