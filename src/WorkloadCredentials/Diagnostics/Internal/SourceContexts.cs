using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Diagnostics.Internal;

/// <summary>
/// The context (options and environment) a source the library built for an application was built from, so that diagnostics resolve
/// settings (the STS endpoint and region) as the source does. The cache of <see cref="AwsCredentialSources"/> and DI carries it; a cache
/// or chain an application composed from the public factories answers with the context of the source it uses (see
/// <see cref="IBuiltFromContext"/>).
/// </summary>
internal static class SourceContexts
{
    /// <summary>Gets the context <paramref name="source"/> was built from; for a source the library did not build, the environment alone.</summary>
    public static CredentialSourceContext Find(IAwsCredentialSource source) =>
        source is IBuiltFromContext { BuiltFrom: { } context } ? context : new CredentialSourceContext(new WorkloadCredentialsOptions());
}
