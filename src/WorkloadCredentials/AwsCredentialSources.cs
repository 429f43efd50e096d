using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials;

/// <summary>
/// Builds credential sources without dependency injection: the default chain behind the refresh cache in one line (console jobs),
/// a custom source behind the cache, or a chain of sources.
/// </summary>
public static partial class AwsCredentialSources
{
    /// <summary>
    /// Creates the default chain (explicit keys, environment keys, shared profile, web identity, container, instance metadata,
    /// then a role from options on top) behind the refresh cache.
    /// </summary>
    /// <param name="configure">Configures the options; environment variables fill whatever is left unset.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="loggerFactory">The logger factory; no logging by default.</param>
    /// <returns>
    /// The cached source. Dispose it (it is <see cref="IDisposable"/>) when the application stops: that ends its background refresh
    /// and closes the connections of the sources it built.
    /// </returns>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names each wrong option.</exception>
    public static ICachedAwsCredentialSource CreateDefault(
        Action<WorkloadCredentialsOptions>? configure = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        var options = new WorkloadCredentialsOptions();
        configure?.Invoke(options);
        return CreateDefault(new CredentialSourceContext(options, ProcessEnvironment.Instance, timeProvider, loggerFactory));
    }

    /// <summary>Puts any source, such as a custom one, behind the refresh cache.</summary>
    /// <param name="source">The source to cache.</param>
    /// <param name="options">The cache options; the defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="loggerFactory">The logger factory; no logging by default.</param>
    /// <returns>
    /// The cached source. It owns <paramref name="source"/>, as a <see cref="StreamReader"/> owns its stream: disposing it stops its
    /// background refresh (waiting briefly for a refresh under way) and then disposes <paramref name="source"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="CredentialCacheOptions.RefreshTimeout"/> is not between 1 second and 1 hour.</exception>
    public static ICachedAwsCredentialSource Cache(
        IAwsCredentialSource source,
        CredentialCacheOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        Throw.IfNull(source);
        options ??= new CredentialCacheOptions();
        if (options.RefreshTimeout < CachingConstants.MinRefreshTimeout || options.RefreshTimeout > CachingConstants.MaxRefreshTimeout)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                options.RefreshTimeout,
                "CredentialCacheOptions.RefreshTimeout must lie between 00:00:01 and 01:00:00.");
        }

        return new RefreshingCredentialCache(
            source,
            options,
            timeProvider ?? TimeProvider.System,
            CredentialTelemetry.Create(loggerFactory ?? NullLoggerFactory.Instance, typeof(RefreshingCredentialCache).FullName!),
            ownsInner: true);
    }

    /// <summary>
    /// Chains sources: each is tried in order; one that throws <see cref="CredentialUnavailableException"/> is skipped, one that fails
    /// otherwise stops the chain, and after a success the chain keeps using the source that answered. Not cached: pass the result
    /// to <see cref="Cache"/>.
    /// </summary>
    /// <param name="sources">The sources, in order. The chain owns them: disposing it disposes each of them.</param>
    /// <returns>The chain; dispose it (or the cache it is handed to) when done.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sources"/> or one of its items is <see langword="null"/>.</exception>
    public static IAwsCredentialSource Chain(params IAwsCredentialSource[] sources)
    {
        Throw.IfNull(sources);
        var links = new ChainLink[sources.Length];
        for (int i = 0; i < sources.Length; i++)
        {
            IAwsCredentialSource source = sources[i] ?? throw new ArgumentNullException(nameof(sources), "A source in the chain is null.");
            links[i] = new ChainLink(source.GetType().Name, source, Owned: true);
        }

        return new CredentialChain(links, CredentialTelemetry.Null);
    }

    /// <summary>Validates the options, then builds the default chain behind the refresh cache from a context (tests, DI, the CLI).</summary>
    /// <param name="context">The options, environment, clock and logging.</param>
    /// <param name="validate"><see langword="false"/> when the options were validated already (dependency injection validates them).</param>
    internal static RefreshingCredentialCache CreateDefault(CredentialSourceContext context, bool validate = true)
    {
        Throw.IfNull(context);
        if (validate)
        {
            Validate(context.Options);
        }

        IAwsCredentialSource chain = DefaultCredentialChain.Create(context);
        var cache = new RefreshingCredentialCache(
            chain,
            context.Options.Cache,
            context.TimeProvider,
            context.CreateTelemetry(typeof(RefreshingCredentialCache).FullName!),
            context.Random,
            context.StartRefresh,
            heartbeat: null,
            ownsInner: true)
        {
            // For diagnostics (GetCallerIdentityAsync): the STS settings the chain was built from.
            BuiltFrom = context,
        };
        return cache;
    }

    internal static void Validate(WorkloadCredentialsOptions options, string? name = null, Func<string?, string?>? configurationPath = null)
    {
        Throw.IfNull(options);
        var failures = new List<string>();
        ValidateOptionsResult annotations = new WorkloadCredentialsOptionsValidator().Validate(name, options);
        if (annotations.Failed)
        {
            failures.AddRange(annotations.Failures);
        }

        ValidateOptionsResult crossField = new WorkloadCredentialsOptionsCustomValidator(configurationPath).Validate(name, options);
        if (crossField.Failed)
        {
            failures.AddRange(crossField.Failures);
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(name ?? Options.DefaultName, typeof(WorkloadCredentialsOptions), failures);
        }
    }
}
