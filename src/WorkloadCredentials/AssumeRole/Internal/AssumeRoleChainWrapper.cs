using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Sts;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.AssumeRole.Internal;

/// <summary>
/// Applies <see cref="WorkloadCredentialsOptions.AssumeRole"/> to the default chain: when a role ARN is configured, the chain's
/// credentials (cached, so that each role refresh does not re-fetch them) sign <c>sts:AssumeRole</c>.
/// </summary>
/// <remarks>
/// The caller decides whether to wrap at all when explicit keys are configured too (the design says keys win and the role is
/// ignored with a warning). Never throws: invalid role settings give a source that throws a non-recoverable error naming the setting.
/// </remarks>
internal static class AssumeRoleChainWrapper
{
    /// <summary>Gets whether the options name a role to assume.</summary>
    public static bool IsConfigured(WorkloadCredentialsOptions options) =>
        !string.IsNullOrWhiteSpace(options.AssumeRole?.RoleArn);

    /// <summary>
    /// Returns <paramref name="chain"/> unchanged when no role is configured, else an assume-role source over it that owns it (disposing
    /// the role source disposes the chain).
    /// </summary>
    /// <param name="chain">The credentials to sign with.</param>
    /// <param name="context">The options, environment, clock and logging.</param>
    /// <param name="regionHint">Where STS finds a region when the configuration names none.</param>
    /// <param name="isRoleSource">Whether credentials from a named source are a role session (the role-chaining cap).</param>
    public static IAwsCredentialSource Wrap(IAwsCredentialSource chain, CredentialSourceContext context, IRegionHint? regionHint = null, Func<string, bool>? isRoleSource = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(context);
        if (!IsConfigured(context.Options))
        {
            return chain;
        }

        AssumeRoleCredentialOptions options = context.Options.AssumeRole;
        try
        {
            AssumeRoleSettings settings = AssumeRoleSettings.Create(
                options.RoleArn!, options.ExternalId, options.RoleSessionName, options.Duration, options.Policy, options.Tags, options.SourceIdentity);
            StsClientSettings sts = StsSettingsResolver.Resolve(context.Options, context.Environment, allowAnyHttpHost: context.AllowPlainHttpToAnyHost, StsConstants.AssumeRoleSourceName);

            if (chain is ICachedAwsCredentialSource)
            {
                // A cache is what an application shares (the DI singleton): signing with it never makes it the role source's to dispose.
                return AssumeRoleSourceFactory.Create(context, settings, sts, chain, isRoleSource, regionHint);
            }

            var cache = new RefreshingCredentialCache(
                chain,
                context.Options.Cache ?? new Caching.CredentialCacheOptions(),
                context.TimeProvider,
                context.CreateTelemetry(typeof(RefreshingCredentialCache).FullName!),
                context.Random,
                context.StartRefresh,
                heartbeat: null,
                ownsInner: true);
            return AssumeRoleSourceFactory.Create(context, settings, sts, cache, isRoleSource, regionHint, ownedSource: cache);
        }
        catch (AwsCredentialException ex)
        {
            // The chain is not used, so nothing else would dispose it.
            chain.Dispose();
            return FailedCredentialSource.Misconfigured(ex);
        }
    }
}
