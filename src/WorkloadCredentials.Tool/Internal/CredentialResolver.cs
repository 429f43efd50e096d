using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Tool.Describe;

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

        // Before anything runs (and logs), learn the profile's secrets: External IDs are sent to STS, which may echo them.
        await RegisterProfileSecretsAsync(options, runtime, cancellationToken).ConfigureAwait(false);

        var context = new CredentialSourceContext(options, runtime.Environment, runtime.TimeProvider, loggerFactory);
        IAwsCredentialSource source = DefaultCredentialChain.Create(context);
        try
        {
            CredentialChain? chain = ChainLocator.Find(source);
            try
            {
                AwsCredentials credentials = await source.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
                runtime.Guard.Add(credentials.SecretAccessKey);
                runtime.Guard.Add(credentials.SessionToken);
                if (Expired(credentials, runtime.TimeProvider.GetUtcNow()) is { } expired)
                {
                    return new ResolutionOutcome(null, chain?.LastResolution, ResolutionErrorKind.SourceFailed, expired, credentials.SourceName, null);
                }

                (ProfileSummary? profile, string? externalId) = await DescribeProfileAsync(chain, cancellationToken).ConfigureAwait(false);
                return new ResolutionOutcome(credentials, chain?.LastResolution, ResolutionErrorKind.None, null, null, profile) { ExternalId = externalId };
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

    /// <summary>
    /// The library's cache never hands out credentials that have expired; neither does the tool (a source can answer with them: a
    /// container endpoint or a <c>credential_process</c> serving a stale cache). Returns the reason, or <see langword="null"/>.
    /// </summary>
    private static string? Expired(AwsCredentials credentials, DateTimeOffset now)
    {
        if (credentials.Expiration is not { } expiration || expiration > now)
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{credentials.SourceName}: the credentials it returned expired at {DescriptionJsonWriter.FormatTime(expiration)} (now {DescriptionJsonWriter.FormatTime(now)}), so they are not handed out. Check what the source serves (and this machine's clock), then try again.");
    }

    /// <summary>
    /// Reads the selected profile's plan without logging or fetching anything, and registers the secrets it holds (static keys, every
    /// role's External ID) with the <see cref="OutputGuard"/>. A profile that cannot be read is left to the chain to report.
    /// </summary>
    private static async Task RegisterProfileSecretsAsync(WorkloadCredentialsOptions options, ToolRuntime runtime, CancellationToken cancellationToken)
    {
        var quiet = new CredentialSourceContext(options, runtime.Environment, runtime.TimeProvider, NullLoggerFactory.Instance);
        ProfilePlan plan;
        try
        {
            plan = await new ProfileCredentialSource(quiet, NoProfileSteps.Instance).ResolveAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsCredentialException or IOException or UnauthorizedAccessException)
        {
            return;
        }

        if (plan.Chain.Base is StaticKeysProfileStep keys)
        {
            runtime.Guard.Add(keys.SecretAccessKey);
            runtime.Guard.Add(keys.SessionToken);
        }

        foreach (AssumeRoleProfileStep role in plan.Chain.Roles)
        {
            runtime.Guard.Add(role.ExternalId);
        }
    }

    /// <summary>
    /// When the profile source was chosen, re-reads its plan (files and chain of profiles; nothing is fetched), and says which of its
    /// roles send an External ID (never the value).
    /// </summary>
    private static async Task<(ProfileSummary? Profile, string? ExternalId)> DescribeProfileAsync(CredentialChain? chain, CancellationToken cancellationToken)
    {
        if (chain is null || chain.ChosenSourceName is not { } chosen)
        {
            return (null, null);
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
                string[] externalIds = plan.Chain.Roles.Where(r => r.ExternalId is not null).Select(r => $"external_id of profile '{r.ProfileName}'").ToArray();
                string? externalId = externalIds.Length == 0 ? null : $"configured ({string.Join(", ", externalIds)})";
                return (new ProfileSummary(plan.Chain.ProfileName, origin, plan.Chain.Describe(), plan.Locations.ConfigFilePath, plan.Locations.CredentialsFilePath), externalId);
            }
            catch (AwsCredentialException)
            {
                // The files changed between the fetch and now; the credentials are still described without the plan.
                return (null, null);
            }
        }

        return (null, null);
    }

    /// <summary>Reading a plan creates no step; this factory is never called.</summary>
    private sealed class NoProfileSteps : IProfileStepFactory
    {
        public static readonly NoProfileSteps Instance = new();

        public IAwsCredentialSource CreateEnvironment() => throw new NotSupportedException();

        public IAwsCredentialSource CreateInstanceMetadata() => throw new NotSupportedException();

        public IAwsCredentialSource CreateContainer() => throw new NotSupportedException();

        public IAwsCredentialSource CreateWebIdentity(ProfileWebIdentityRequest request) => throw new NotSupportedException();

        public IAwsCredentialSource CreateAssumeRole(IAwsCredentialSource source, ProfileAssumeRoleRequest request) => throw new NotSupportedException();
    }
}
