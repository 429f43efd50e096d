using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Internal;

/// <summary>
/// What every built-in source is built from: the options, the environment seam, the clock, telemetry (logging, metrics, traces) and (for tests and the
/// recorded scenarios) one HTTP handler through which all IMDS, container and STS traffic goes.
/// </summary>
internal sealed class CredentialSourceContext
{
    public CredentialSourceContext(
        WorkloadCredentialsOptions options,
        IEnvironment? environment = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        HttpMessageHandler? httpHandler = null)
    {
        Options = options;
        Environment = environment ?? ProcessEnvironment.Instance;
        TimeProvider = timeProvider ?? TimeProvider.System;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        HttpHandler = httpHandler;
    }

    public WorkloadCredentialsOptions Options { get; }

    public IEnvironment Environment { get; }

    public TimeProvider TimeProvider { get; }

    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Gets a handler that replaces the network for every HTTP call the sources make, or <see langword="null"/> for the real network.</summary>
    public HttpMessageHandler? HttpHandler { get; }

    /// <summary>
    /// Gets a value indicating whether an STS endpoint may use plain <c>http://</c> to any host, not only to loopback. Only the replay
    /// of the AWS SDKs' recorded scenarios sets it (their endpoints are such hosts, answered by the recording); an injected handler
    /// alone never relaxes the rule.
    /// </summary>
    public bool AllowPlainHttpToAnyHost { get; init; }

    /// <summary>
    /// Gets the callback that opens every connection the sources' own handlers make (instance metadata, container, STS), or
    /// <see langword="null"/> for the default. Only tests set it (to keep every connection on loopback); it never relaxes a rule.
    /// </summary>
    public Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? ConnectCallback { get; init; }

    /// <summary>
    /// Gets the instruments metrics are recorded on: the container's meter (<c>IMeterFactory</c>) under dependency injection, else the
    /// process-wide one.
    /// </summary>
    public CredentialInstruments Instruments { get; init; } = CredentialInstruments.Default;

    /// <summary>
    /// Gets the uniform [0, 1) numbers behind every jitter of the sources and caches built from this context (refresh points and
    /// backoffs of the caches, STS and IMDS retry delays, the IMDS expiry extension), or <see langword="null"/> for
    /// <see cref="System.Random.Shared"/>. Only the simulated week sets it (a seeded generator, so that a seed replays exactly).
    /// </summary>
    public Func<double>? Random { get; init; }

    /// <summary>
    /// Gets how the caches built from this context start a refresh, or <see langword="null"/> for the thread pool. Only the
    /// simulated week sets it (inline, so that a run on a fake clock does all its work before the clock moves again).
    /// </summary>
    public Func<Func<Task<AwsCredentials>>, Task<AwsCredentials>>? StartRefresh { get; init; }

    /// <summary>Creates the telemetry reporter of <paramref name="category"/>: the one way sources log, count and trace.</summary>
    public CredentialTelemetry CreateTelemetry(string category) => CredentialTelemetry.Create(LoggerFactory, category, Instruments);
}
