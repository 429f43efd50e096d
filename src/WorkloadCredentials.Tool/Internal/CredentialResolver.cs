using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkloadCredentials.Diagnostics;

namespace WorkloadCredentials.Tool.Internal;

/// <summary>
/// Resolves credentials once through the library's public default chain (<see cref="AwsCredentialSources.CreateDefault(Action{WorkloadCredentialsOptions}?, TimeProvider?, ILoggerFactory?)"/>:
/// the same sources, environment variables, files and refresh cache as an application) and describes it for <c>describe</c> with the
/// library's public describe API.
/// </summary>
/// <remarks>
/// The cache never hands out credentials that have expired (a container endpoint or a <c>credential_process</c> serving a stale cache):
/// they fail with the source's name, so the tool refuses them as an application would.
/// </remarks>
internal static class CredentialResolver
{
    /// <summary>Resolves credentials for <c>export</c> and <c>whoami</c>: the credentials, or why there are none.</summary>
    /// <exception cref="ToolUsageException">The options are invalid (for example <c>--region</c>).</exception>
    /// <exception cref="OperationCanceledException">The command was interrupted.</exception>
    public static Task<ResolutionOutcome> ResolveAsync(ToolSettings settings, ToolRuntime runtime, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        WithDefaultChainAsync(settings, runtime, loggerFactory, source => GetAsync(source, runtime, cancellationToken), cancellationToken);

    /// <summary>Describes the default chain for <c>describe</c> with the library's public describe API.</summary>
    /// <exception cref="ToolUsageException">The options are invalid (for example <c>--region</c>).</exception>
    /// <exception cref="OperationCanceledException">The command was interrupted.</exception>
    public static Task<CredentialSourceDescription> DescribeAsync(ToolSettings settings, ToolRuntime runtime, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        WithDefaultChainAsync(settings, runtime, loggerFactory, source => DescribeAsync(source, runtime, cancellationToken), cancellationToken);

    /// <summary>Runs <paramref name="body"/> over the library's default chain built with the global options, then disposes the chain.</summary>
    /// <exception cref="ToolUsageException">The options are invalid (for example <c>--region</c>).</exception>
    public static async Task<T> WithDefaultChainAsync<T>(
        ToolSettings settings,
        ToolRuntime runtime,
        ILoggerFactory loggerFactory,
        Func<IAwsCredentialSource, Task<T>> body,
        CancellationToken cancellationToken)
    {
        ToolValidation.Validate(settings);
        ICachedAwsCredentialSource source;
        try
        {
            source = AwsCredentialSources.CreateDefault(settings.Configure, runtime.TimeProvider, loggerFactory);
        }
        catch (OptionsValidationException ex)
        {
            throw new ToolUsageException(CommandLineWording.Apply(string.Join(" ", ex.Failures))!, ex);
        }

        using (source)
        {
            return await body(source).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Describes <paramref name="source"/>; when it resolved, its credentials (a cache hit, no new resolution) are registered with the output
    /// guard too: a second layer of masking over the description's own, before any of its text reaches the terminal.
    /// </summary>
    private static async Task<CredentialSourceDescription> DescribeAsync(IAwsCredentialSource source, ToolRuntime runtime, CancellationToken cancellationToken)
    {
        CredentialSourceDescription description = await source.DescribeAsync(cancellationToken).ConfigureAwait(false);
        if (description.Status == CredentialResolutionStatus.Resolved)
        {
            _ = await GetAsync(source, runtime, cancellationToken).ConfigureAwait(false);
        }

        return description;
    }

    /// <summary>Gets credentials from <paramref name="source"/>, registers their secrets with the output guard, or says why there are none.</summary>
    public static async Task<ResolutionOutcome> GetAsync(IAwsCredentialSource source, ToolRuntime runtime, CancellationToken cancellationToken)
    {
        try
        {
            AwsCredentials credentials = await source.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
            runtime.Guard.Add(credentials.SecretAccessKey);
            runtime.Guard.Add(credentials.SessionToken);
            return new ResolutionOutcome(credentials, ResolutionErrorKind.None, null);
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
}
