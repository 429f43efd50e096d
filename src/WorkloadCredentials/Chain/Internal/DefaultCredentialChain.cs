namespace WorkloadCredentials.Chain.Internal;

/// <summary>
/// Builds the default chain, in the order of the design: custom sources, explicit keys, environment keys, shared profile,
/// web identity, container, instance metadata; then a role from options wraps whatever resolved.
/// Each built-in source is an <see cref="IAwsCredentialSource"/> that throws <see cref="CredentialUnavailableException"/>
/// when it is not configured (the chain records the reason and moves on) and <see cref="AwsCredentialException"/> when it
/// is configured but fails (the chain stops).
/// </summary>
internal static class DefaultCredentialChain
{
    public static IAwsCredentialSource Create(WorkloadCredentials.Internal.CredentialSourceContext context)
    {
        var sources = new List<IAwsCredentialSource>(context.Options.CustomSources);

        // 1. Explicit keys (options/configuration)            -- StaticKeys/
        // 2. Environment keys                                 -- Environment/
        // 3. Shared config profile                            -- Profiles/
        // 4. Web identity (EKS IRSA)                          -- WebIdentity/
        // 5. Container credentials (ECS, EKS Pod Identity)    -- Container/
        // 6. EC2 instance metadata                            -- InstanceMetadata/
        // Then: AssumeRole from options wraps the chain       -- AssumeRole/
        _ = sources;
        throw new NotImplementedException("The default chain is being assembled.");
    }
}
