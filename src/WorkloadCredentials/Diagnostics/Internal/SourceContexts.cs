using System.Runtime.CompilerServices;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Diagnostics.Internal;

/// <summary>
/// The context (options and environment) each source the library built for an application was built from, so that diagnostics
/// resolve settings (the STS endpoint and region) as the source does. Weak: an entry goes with its source.
/// </summary>
internal static class SourceContexts
{
    private static readonly ConditionalWeakTable<IAwsCredentialSource, CredentialSourceContext> Contexts = [];

    /// <summary>Remembers that <paramref name="source"/> was built from <paramref name="context"/>.</summary>
    public static void Register(IAwsCredentialSource source, CredentialSourceContext context) => Contexts.AddOrUpdate(source, context);

    /// <summary>Gets the context <paramref name="source"/> was built from; for a source the library did not build, the environment alone.</summary>
    public static CredentialSourceContext Find(IAwsCredentialSource source) =>
        Contexts.TryGetValue(source, out CredentialSourceContext? context) ? context : new CredentialSourceContext(new WorkloadCredentialsOptions());
}
