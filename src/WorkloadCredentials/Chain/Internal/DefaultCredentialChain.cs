using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Chain.Internal;

/// <summary>
/// Builds the default chain from the registered <see cref="SourceDefinitions"/>: the application's custom sources first, then each
/// definition's link by its place (explicit keys, environment keys, shared profile, web identity, container, instance metadata) unless
/// an <c>Exclude…</c> option leaves it out, then the wrappers (a role from options over whatever resolved). Each built-in source throws
/// <see cref="CredentialUnavailableException"/> when it is not configured (the chain records the reason and moves on) and
/// <see cref="AwsCredentialException"/> when it is configured but fails (the chain stops). The chain owns and disposes every source it
/// built; the custom sources stay the application's.
/// </summary>
internal static class DefaultCredentialChain
{
    public static IAwsCredentialSource Create(CredentialSourceContext context)
    {
        Throw.IfNull(context);
        WorkloadCredentialsOptions options = context.Options;
        var links = new List<ChainLink>();
        foreach (IAwsCredentialSource custom in options.CustomSources)
        {
            links.Add(new ChainLink(custom.GetType().Name, custom));
        }

        // A profile chosen explicitly (WorkloadCredentialsOptions.Profile, the CLI's --profile) is not overridden by the environment's
        // keys or web identity, as with `aws --profile` and botocore's explicit profile. AWS_PROFILE alone keeps the SDKs' order, in
        // which a source that outranks a profile without a role (the environment's web identity) comes first.
        string? explicitProfile = string.IsNullOrWhiteSpace(options.Profile) ? null : options.Profile;
        SourceBuildContext plain = SourceDefinitions.CreateBuildContext(context);
        SourceBuildContext build = plain.With(explicitProfile, explicitProfile is null ? () => OutrankingSetting(context) : null);

        IAwsCredentialSource? chain = null;
        try
        {
            foreach (CredentialSourceDefinition definition in SourceDefinitions.All)
            {
                if (!definition.WrapsChain && definition.IsChainLink && !definition.IsExcluded(options))
                {
                    links.Add(new ChainLink(definition.Name, definition.Create(build), IsKeys: definition.IssuesLongTermKeys, Owned: true));
                }
            }

            chain = new CredentialChain(links, context.CreateTelemetry(typeof(CredentialChain).FullName!), () => DescribeIgnoredRole(context));
            foreach (CredentialSourceDefinition definition in SourceDefinitions.All)
            {
                if (definition.WrapsChain && !definition.IsExcluded(options))
                {
                    chain = definition.Create(plain.With(inner: chain));
                }
            }

            return chain;
        }
        catch
        {
            // A source that failed to build leaves none of those built before it open (a wrapper owns the chain it wraps). The build
            // failure is the one reported: a failure to dispose what was built is secondary.
            try
            {
                if (chain is not null)
                {
                    chain.Dispose();
                }
                else
                {
                    CredentialChain.DisposeOwned(links);
                }
            }
            catch (Exception)
            {
            }

            throw;
        }
    }

    /// <summary>Names the setting of a source that outranks a profile without a role, or <see langword="null"/>.</summary>
    private static string? OutrankingSetting(CredentialSourceContext context)
    {
        foreach (CredentialSourceDefinition definition in SourceDefinitions.All)
        {
            if (definition.OutranksProfileWithoutRole && !definition.IsExcluded(context.Options) && definition.ConfiguredBy(context) is { } setting)
            {
                return setting;
            }
        }

        return null;
    }

    /// <summary>Describes the role settings present that a winning keys source makes the chain ignore, for its warning; or <see langword="null"/>.</summary>
    private static string? DescribeIgnoredRole(CredentialSourceContext context)
    {
        foreach (CredentialSourceDefinition definition in SourceDefinitions.All)
        {
            if (definition.DescribeIgnoredRole(context) is { } described)
            {
                return described;
            }
        }

        return null;
    }
}
