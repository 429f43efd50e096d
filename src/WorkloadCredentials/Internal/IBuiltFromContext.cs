namespace WorkloadCredentials.Internal;

/// <summary>
/// A source that knows the context (options and environment) it was built from, so that diagnostics (the caller identity check) resolve
/// the STS endpoint and region as the source does, also for sources an application composes from the public factories.
/// </summary>
internal interface IBuiltFromContext
{
    /// <summary>Gets the context the source was built from, or <see langword="null"/> when it was built from plain parts.</summary>
    CredentialSourceContext? BuiltFrom { get; }
}
