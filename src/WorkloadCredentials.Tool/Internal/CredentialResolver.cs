using Microsoft.Extensions.Logging;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;

namespace WorkloadCredentials.Tool.Internal;

/// <summary>
/// Resolves credentials once through the library's default chain (the same sources, environment variables and files as an
/// application using <c>AwsCredentialSources.CreateDefault()</c>) and keeps the chain's record for <c>describe</c>.
/// </summary>
/// <remarks>No refresh cache: the tool resolves once and exits.</remarks>
internal static class CredentialResolver
{
    /// <exception cref="ToolUsageException">The options are invalid (for example <c>--region</c>).</exception>
    /// <exception cref="OperationCanceledException">The command was interrupted.</exception>
    public static async Task<ResolutionOutcome> ResolveAsync(
        ToolSettings settings,
        ToolRuntime runtime,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        WorkloadCredentialsOptions options = settings.CreateOptions();
        ToolValidation.Validate(options);

        var context = new CredentialSourceContext(options, runtime.Environment, runtime.TimeProvider, loggerFactory);
        IAwsCredentialSource source = DefaultCredentialChain.Create(context);
        try
        {
            CredentialChain? chain = ChainLocator.Find(source);
            try
            {
                AwsCredentials credentials = await source.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
                ProfileSummary? profile = await DescribeProfileAsync(chain, cancellationToken).ConfigureAwait(false);
                return new ResolutionOutcome(credentials, chain?.LastResolution, ResolutionErrorKind.None, null, null, profile);
            }
            catch (CredentialUnavailableException ex)
            {
                return new ResolutionOutcome(null, chain?.LastResolution, ResolutionErrorKind.NoCredentials, CommandLineWording.Apply(ex.Message), ex.SourceName, null);
            }
            catch (AwsCredentialException ex)
            {
                return new ResolutionOutcome(null, chain?.LastResolution, ResolutionErrorKind.SourceFailed, CommandLineWording.Apply(ex.Message), ex.SourceName ?? chain?.LastResolution?.FailedSourceName, null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Sources wrap their errors in AwsCredentialException; anything else came from around the chain (a role on top).
                string message = $"{ex.GetType().Name}: {ex.Message}";
                return new ResolutionOutcome(null, chain?.LastResolution, ResolutionErrorKind.SourceFailed, CommandLineWording.Apply(message), chain?.LastResolution?.FailedSourceName, null);
            }
        }
        finally
        {
            (source as IDisposable)?.Dispose();
        }
    }

    /// <summary>When the profile source was chosen, re-reads its plan (files and chain of profiles; nothing is fetched).</summary>
    private static async Task<ProfileSummary?> DescribeProfileAsync(CredentialChain? chain, CancellationToken cancellationToken)
    {
        if (chain is null || chain.ChosenSourceName is not { } chosen)
        {
            return null;
        }

        foreach (ChainLink link in chain.Links)
        {
            if (link.Name != chosen || link.Source is not ProfileCredentialSource profileSource)
            {
                continue;
            }

            try
            {
                ProfilePlan plan = await profileSource.ResolveAsync(cancellationToken).ConfigureAwait(false);
                string origin = plan.Locations.ProfileNameOrigin switch
                {
                    ProfileNameOrigin.Options => "named by --profile",
                    ProfileNameOrigin.Environment => "named by AWS_PROFILE",
                    _ => "the default profile",
                };
                return new ProfileSummary(plan.Chain.ProfileName, origin, plan.Chain.Describe(), plan.Locations.ConfigFilePath, plan.Locations.CredentialsFilePath);
            }
            catch (AwsCredentialException)
            {
                // The files changed between the fetch and now; the credentials are still described without the plan.
                return null;
            }
        }

        return null;
    }
}
