using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Diagnostics;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Tool.Describe;

namespace WorkloadCredentials.Tool.Internal;

/// <summary>
/// Resolves credentials once through the library's default chain (the same sources, environment variables and files as an
/// application using <c>AwsCredentialSources.CreateDefault()</c>) and describes it for <c>describe</c> with the library's public describe API.
/// </summary>
/// <remarks>No refresh cache: the tool resolves once and exits.</remarks>
internal static class CredentialResolver
{
    /// <summary>Resolves credentials for <c>export</c> and <c>whoami</c>: the credentials, or why there are none.</summary>
    /// <exception cref="ToolUsageException">The options are invalid (for example <c>--region</c>).</exception>
    /// <exception cref="OperationCanceledException">The command was interrupted.</exception>
    public static Task<ResolutionOutcome> ResolveAsync(ToolSettings settings, ToolRuntime runtime, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        WithDefaultChainAsync(settings, runtime, loggerFactory, source => GetAsync(source, runtime, cancellationToken), cancellationToken);

    /// <summary>
    /// Describes the default chain for <c>describe</c> with the library's public describe API, and says why the tool refuses credentials
    /// that resolved (they have expired), or <see langword="null"/>.
    /// </summary>
    /// <exception cref="ToolUsageException">The options are invalid (for example <c>--region</c>).</exception>
    /// <exception cref="OperationCanceledException">The command was interrupted.</exception>
    public static Task<(CredentialSourceDescription Description, string? Refusal)> DescribeAsync(
        ToolSettings settings, ToolRuntime runtime, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        WithDefaultChainAsync(
            settings,
            runtime,
            loggerFactory,
            async source =>
            {
                CredentialSourceDescription description = await source.DescribeAsync(cancellationToken).ConfigureAwait(false);
                string? refusal = description is { Status: CredentialResolutionStatus.Resolved, SourceName: { } name }
                    ? Expired(name, description.Expiration, runtime.TimeProvider.GetUtcNow())
                    : null;
                return (description, refusal);
            },
            cancellationToken);

    private static async Task<T> WithDefaultChainAsync<T>(
        ToolSettings settings,
        ToolRuntime runtime,
        ILoggerFactory loggerFactory,
        Func<IAwsCredentialSource, Task<T>> body,
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
            return await body(source).ConfigureAwait(false);
        }
        finally
        {
            (source as IDisposable)?.Dispose();
        }
    }

    private static async Task<ResolutionOutcome> GetAsync(IAwsCredentialSource source, ToolRuntime runtime, CancellationToken cancellationToken)
    {
        try
        {
            AwsCredentials credentials = await source.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
            runtime.Guard.Add(credentials.SecretAccessKey);
            runtime.Guard.Add(credentials.SessionToken);
            return Expired(credentials.SourceName, credentials.Expiration, runtime.TimeProvider.GetUtcNow()) is { } expired
                ? new ResolutionOutcome(null, ResolutionErrorKind.SourceFailed, expired)
                : new ResolutionOutcome(credentials, ResolutionErrorKind.None, null);
        }
        catch (CredentialUnavailableException ex)
        {
            return new ResolutionOutcome(null, ResolutionErrorKind.NoCredentials, CommandLineWording.Apply(ex.Message));
        }
        catch (AwsCredentialException ex)
        {
            return new ResolutionOutcome(null, ResolutionErrorKind.SourceFailed, CommandLineWording.Apply(ex.Message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Sources wrap their errors in AwsCredentialException; anything else came from around the chain (a role on top).
            return new ResolutionOutcome(null, ResolutionErrorKind.SourceFailed, CommandLineWording.Apply($"{ex.GetType().Name}: {ex.Message}"));
        }
    }

    /// <summary>
    /// The library's cache never hands out credentials that have expired; neither does the tool (a source can answer with them: a
    /// container endpoint or a <c>credential_process</c> serving a stale cache). Returns the reason, or <see langword="null"/>.
    /// </summary>
    private static string? Expired(string sourceName, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        if (expiresAt is not { } expiration || expiration > now)
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{sourceName}: the credentials it returned expired at {DescriptionJsonWriter.FormatTime(expiration)} (now {DescriptionJsonWriter.FormatTime(now)}), so they are not handed out. Check what the source serves (and this machine's clock), then try again.");
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
