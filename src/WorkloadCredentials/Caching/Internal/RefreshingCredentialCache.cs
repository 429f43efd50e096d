using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Caching.Internal;

/// <summary>
/// The refresh cache in front of every source: the AWS SDKs' credential refresh spec, and then some.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Hot path: one field read and one compare. No clock read, no lock, no allocation.</description></item>
/// <item><description>A heartbeat timer (1 s) moves the published snapshot through its phases and starts background refreshes, so an
/// idle process refreshes ahead of expiry and no caller ever waits in the advisory window.</description></item>
/// <item><description>Deadlines are monotonic (<see cref="TimeProvider.GetTimestamp"/>); the wall clock is only consulted to notice a
/// suspend or a forward clock step (it then forces a refresh; stale answers count as failures and back off, so there is no storm).</description></item>
/// <item><description>The first refresh point after a start is spread over most of the lifetime (see <see cref="CreateSnapshot"/>), so
/// the pods of a deploy do not refresh in lock-step every cycle.</description></item>
/// <item><description>Single flight: one refresh at a time; waiters share it and a waiter's cancellation cancels only its own wait.</description></item>
/// <item><description>Failures with credentials cached keep serving them and back off 300-600 s, never past their expiry, and once
/// they have expired retry within seconds (<see cref="RefreshRetrySchedule"/>); non-recoverable errors reach waiting callers at once
/// and are cached 1-5 s; credentials that arrive already expired count as a failure.</description></item>
/// <item><description>Every refresh has a total budget (<see cref="CredentialCacheOptions.RefreshTimeout"/>): a stuck source can
/// never hold the refresh slot, and no caller waits longer than the budget.</description></item>
/// <item><description>Disposing ends the heartbeat, cancels the refresh under way, releases its waiters with an
/// <see cref="ObjectDisposedException"/>, and disposes the source when the cache owns it.</description></item>
/// </list>
/// </remarks>
internal sealed partial class RefreshingCredentialCache : ICachedAwsCredentialSource, IDisposable, IAsyncDisposable, IBuiltFromContext, IExpiryObservable
{
    private readonly IAwsCredentialSource _inner;
    private readonly CredentialSourceContext? _builtFrom;
    private readonly CredentialCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly CredentialTelemetry _telemetry;
    private readonly IDisposable _expiryGauge;
    private readonly Func<Task<AwsCredentials>> _backgroundRefresh;
    private readonly Func<Task<AwsCredentials>> _callerRefresh;
    private readonly Func<double> _random;
    private readonly Func<Func<Task<AwsCredentials>>, Task<AwsCredentials>> _startRefresh;
    private readonly object _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly ITimer _heartbeat;
    private readonly bool _ownsInner;
    private readonly string _description;

    private volatile CredentialSnapshot _state = CredentialSnapshot.Empty;
    private volatile Task<AwsCredentials>? _refresh;
    private int _disposeCount;

    // Guarded by _lock.
    private long _backoffUntil = long.MinValue;
    private long _backgroundRetryAt = long.MinValue;
    private ExceptionDispatchInfo? _cachedError;
    private long _cachedErrorUntil = long.MinValue;
    private int _shortFailures;
    private long _failingSince = long.MinValue;

    // Set once the first fetch is published (single flight: one refresh at a time writes it).
    private bool _fetchedOnce;

    /// <param name="inner">The source to cache.</param>
    /// <param name="options">The cache options.</param>
    /// <param name="timeProvider">The clock and timers.</param>
    /// <param name="telemetry">Where the cache reports its events (logs, metrics, spans).</param>
    /// <param name="ownsInner">Whether disposing the cache disposes <paramref name="inner"/> (the sources the library builds); a source
    /// the application hands to <c>AwsCredentialSources.Cache</c> stays the application's.</param>
    public RefreshingCredentialCache(IAwsCredentialSource inner, CredentialCacheOptions options, TimeProvider timeProvider, CredentialTelemetry telemetry, bool ownsInner = false)
        : this(inner, options, timeProvider, telemetry, random: null, startRefresh: null, heartbeat: null, ownsInner)
    {
    }

    /// <param name="inner">The source to cache.</param>
    /// <param name="options">The cache options.</param>
    /// <param name="timeProvider">The clock and timers.</param>
    /// <param name="telemetry">Where the cache reports its events (logs, metrics, spans).</param>
    /// <param name="random">Uniform [0, 1) numbers for the backoff, error-cache and refresh-point jitter (tests fix them).</param>
    /// <param name="startRefresh">Starts a refresh; by default on the thread pool so that no caller runs the fetch (tests run it inline).</param>
    /// <param name="heartbeat">The heartbeat period; by default 1 s.</param>
    /// <param name="ownsInner">Whether disposing the cache disposes <paramref name="inner"/>.</param>
    internal RefreshingCredentialCache(
        IAwsCredentialSource inner,
        CredentialCacheOptions options,
        TimeProvider timeProvider,
        CredentialTelemetry telemetry,
        Func<double>? random,
        Func<Func<Task<AwsCredentials>>, Task<AwsCredentials>>? startRefresh,
        TimeSpan? heartbeat,
        bool ownsInner = false)
    {
        _inner = Throw.IfNull(inner);
        _options = Throw.IfNull(options);
        _time = Throw.IfNull(timeProvider);
        _telemetry = Throw.IfNull(telemetry);
        _backgroundRefresh = () => RefreshAsync(background: true);
        _callerRefresh = () => RefreshAsync(background: false);
        _random = random ?? Random.Shared.NextDouble;
        _startRefresh = startRefresh ?? (static refresh => Task.Run(refresh));
        _ownsInner = ownsInner;
        _description = Describe(inner);
        TimeSpan period = heartbeat ?? RefreshWindows.DefaultHeartbeat;
        _heartbeat = _time.CreateTimer(static state => ((RefreshingCredentialCache)state!).OnHeartbeat(), this, period, period);
        _expiryGauge = _telemetry.Instruments.ObserveExpiry(this);
    }

    /// <summary>Gets the source behind the cache.</summary>
    public IAwsCredentialSource Inner => _inner;

    /// <summary>
    /// Gets the context the cached chain was built from (<see cref="AwsCredentialSources"/>, DI), else the one of the cached source (a
    /// source from the public factories), for diagnostics; or <see langword="null"/>.
    /// </summary>
    public CredentialSourceContext? BuiltFrom
    {
        get => _builtFrom ?? (_inner as IBuiltFromContext)?.BuiltFrom;
        init => _builtFrom = value;
    }

    /// <summary>
    /// Gets the cached credentials when they can be served without waiting (fresh, or in the advisory window), else
    /// <see langword="null"/>. No I/O, no clock read: the sync fast lane of the AWS SDK adapter.
    /// </summary>
    public AwsCredentials? Current
    {
        get
        {
            CredentialSnapshot state = _state;
            return state.Phase <= CachePhase.Advisory ? state.Credentials : null;
        }
    }

    /// <summary>Gets the last credentials fetched, whatever their phase, for diagnostics (describe).</summary>
    internal AwsCredentials? LastCredentials => _state.Credentials;

    /// <summary>Gets the advisory window in force for the cached credentials.</summary>
    internal TimeSpan AdvisoryWindow => _state.AdvisoryWindow;

    /// <summary>Gets the phase of the cached credentials as last evaluated.</summary>
    internal CachePhase Phase => _state.Phase;

    /// <summary>Gets the refresh under way, or a completed task: lets tests wait for background work.</summary>
    internal Task PendingRefresh => (Task?)_refresh ?? Task.CompletedTask;

    /// <inheritdoc/>
    bool IExpiryObservable.TryGetTimeUntilExpiry(out TimeSpan remaining, out string? sourceName)
    {
        CredentialSnapshot state = _state;
        sourceName = state.Credentials?.SourceName;
        remaining = UntilExpiry(state, _time.GetTimestamp(), _time.GetUtcNow()) ?? default;
        return sourceName is not null && state.WallExpiration is not null;
    }

    /// <inheritdoc/>
    public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        CredentialSnapshot state = _state;
        if (state.Phase == CachePhase.Fresh)
        {
            return new ValueTask<AwsCredentials>(state.Credentials!);
        }

        return GetSlowAsync(state, cancellationToken);
    }

    /// <summary>Seeds the cache (tests: the refresh spec's "given" states).</summary>
    internal void Seed(AwsCredentials credentials, TimeSpan advisoryWindow, TimeSpan? refreshBackoff = null)
    {
        _state = CreateSnapshot(credentials, _time.GetTimestamp(), _time.GetUtcNow(), advisoryWindow, jitter: false);
        _state.Phase = _state.Evaluate(_time.GetTimestamp(), _time.GetUtcNow());
        if (refreshBackoff is { } backoff)
        {
            lock (_lock)
            {
                _backoffUntil = _time.GetTimestamp() + ToTicks(backoff);
            }
        }
    }

    private async ValueTask<AwsCredentials> GetSlowAsync(CredentialSnapshot state, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        long now = _time.GetTimestamp();
        CachePhase phase = state.Evaluate(now, _time.GetUtcNow());
        state.Phase = phase;

        if (phase == CachePhase.Fresh)
        {
            return state.Credentials!;
        }

        if (phase == CachePhase.Advisory)
        {
            // Never wait here, not even the caller that notices the window: the refresh runs in the background.
            TryStartBackgroundRefresh(state, now);
            return state.Credentials!;
        }

        Task<AwsCredentials> refresh;
        lock (_lock)
        {
            CredentialSnapshot latest = _state;
            if (!ReferenceEquals(latest, state))
            {
                // A refresh published newer credentials since this caller looked: serve them if they need no wait.
                state = latest;
                phase = state.Evaluate(now, _time.GetUtcNow());
                if (phase <= CachePhase.Advisory && state.Credentials is { } published)
                {
                    return published;
                }
            }

            if (_cachedError is { } error && now < _cachedErrorUntil)
            {
                error.Throw();
            }

            if (state.Credentials is { } cached && now < _backoffUntil)
            {
                _telemetry.ServingDuringBackoff(state.Credentials.SourceName, phase == CachePhase.Expired);
                return cached;
            }

            refresh = _refresh ?? StartRefreshLocked(background: false);
        }

        return await refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void OnHeartbeat()
    {
        CredentialSnapshot state = _state;
        if (state.Credentials is null || state.WallExpiration is null && !state.Invalidated)
        {
            return;
        }

        long now = _time.GetTimestamp();
        DateTimeOffset wallNow = _time.GetUtcNow();
        CachePhase phase = state.Evaluate(now, wallNow);
        if (phase != state.Phase)
        {
            if (phase == CachePhase.Expired && now < state.ExpiresAt)
            {
                // Monotonic time says valid but the wall clock says expired: the machine slept, or the clock stepped forward.
                _telemetry.WallClockJump(state.Credentials.SourceName);
            }

            state.Phase = phase;
        }

        if (phase != CachePhase.Fresh)
        {
            TryStartBackgroundRefresh(state, now);
        }
    }

    private void TryStartBackgroundRefresh(CredentialSnapshot state, long now)
    {
        if (_refresh is not null || Volatile.Read(ref _disposeCount) != 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_refresh is not null || Volatile.Read(ref _disposeCount) != 0 || !ReferenceEquals(state, _state) || now < _backoffUntil || now < _backgroundRetryAt || now < _cachedErrorUntil)
            {
                return;
            }

            _ = StartRefreshLocked(background: true);
        }
    }
}
