using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using WorkloadCredentials.Internal;

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
/// <item><description>Single flight: one refresh at a time; waiters share it and a waiter's cancellation cancels only its own wait.</description></item>
/// <item><description>Failures with credentials cached keep serving them and back off 300-600 s; non-recoverable errors reach waiting
/// callers at once and are cached 1-5 s; credentials that arrive already expired count as a failure.</description></item>
/// </list>
/// </remarks>
internal sealed class RefreshingCredentialCache : ICachedAwsCredentialSource, IDisposable, IAsyncDisposable
{
    private readonly IAwsCredentialSource _inner;
    private readonly CredentialCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<double> _random;
    private readonly Func<Func<Task<AwsCredentials>>, Task<AwsCredentials>> _startRefresh;
    private readonly object _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly ITimer _heartbeat;

    private volatile CredentialSnapshot _state = CredentialSnapshot.Empty;
    private volatile Task<AwsCredentials>? _refresh;
    private int _disposeCount;

    // Guarded by _lock.
    private long _backoffUntil = long.MinValue;
    private long _backgroundRetryAt = long.MinValue;
    private ExceptionDispatchInfo? _cachedError;
    private long _cachedErrorUntil = long.MinValue;

    public RefreshingCredentialCache(IAwsCredentialSource inner, CredentialCacheOptions options, TimeProvider timeProvider, ILogger logger)
        : this(inner, options, timeProvider, logger, random: null, startRefresh: null, heartbeat: null)
    {
    }

    /// <param name="inner">The source to cache.</param>
    /// <param name="options">The cache options.</param>
    /// <param name="timeProvider">The clock and timers.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="random">Uniform [0, 1) numbers for the backoff, error-cache and refresh-point jitter (tests fix them).</param>
    /// <param name="startRefresh">Starts a refresh; by default on the thread pool so that no caller runs the fetch (tests run it inline).</param>
    /// <param name="heartbeat">The heartbeat period; by default 1 s.</param>
    internal RefreshingCredentialCache(
        IAwsCredentialSource inner,
        CredentialCacheOptions options,
        TimeProvider timeProvider,
        ILogger logger,
        Func<double>? random,
        Func<Func<Task<AwsCredentials>>, Task<AwsCredentials>>? startRefresh,
        TimeSpan? heartbeat)
    {
        _inner = Throw.IfNull(inner);
        _options = Throw.IfNull(options);
        _time = Throw.IfNull(timeProvider);
        _logger = Throw.IfNull(logger);
        _random = random ?? Random.Shared.NextDouble;
        _startRefresh = startRefresh ?? (static refresh => Task.Run(refresh));
        TimeSpan period = heartbeat ?? RefreshWindows.DefaultHeartbeat;
        _heartbeat = _time.CreateTimer(static state => ((RefreshingCredentialCache)state!).OnHeartbeat(), this, period, period);
    }

    /// <summary>Gets the source behind the cache.</summary>
    public IAwsCredentialSource Inner => _inner;

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
    public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        CredentialSnapshot state = _state;
        if (state.Phase == CachePhase.Fresh)
        {
            return new ValueTask<AwsCredentials>(state.Credentials!);
        }

        return GetSlowAsync(state, cancellationToken);
    }

    /// <inheritdoc/>
    public void Invalidate(string rejectedAccessKeyId)
    {
        ArgumentNullException.ThrowIfNull(rejectedAccessKeyId);
        CredentialSnapshot state = _state;
        if (state.Credentials is { } credentials && string.Equals(credentials.AccessKeyId, rejectedAccessKeyId, StringComparison.Ordinal))
        {
            state.Invalidate();
            CacheLog.Invalidated(_logger, credentials.SourceName);
        }
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

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposeCount, 1) != 0)
        {
            return;
        }

        _heartbeat.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }

    private async ValueTask<AwsCredentials> GetSlowAsync(CredentialSnapshot state, CancellationToken cancellationToken)
    {
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
                CacheLog.ServingDuringBackoff(_logger, state.Credentials.SourceName, phase == CachePhase.Expired);
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
                CacheLog.WallClockJump(_logger, state.Credentials.SourceName);
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
        if (_refresh is not null || _disposed.IsCancellationRequested)
        {
            return;
        }

        lock (_lock)
        {
            if (_refresh is not null || !ReferenceEquals(state, _state) || now < _backoffUntil || now < _backgroundRetryAt || now < _cachedErrorUntil)
            {
                return;
            }

            _ = StartRefreshLocked(background: true);
        }
    }

    private Task<AwsCredentials> StartRefreshLocked(bool background)
    {
        CacheLog.RefreshStarted(_logger, _state.Phase, background);
        Task<AwsCredentials> task = _startRefresh(RefreshAsync);
        if (!task.IsCompleted)
        {
            _refresh = task;
        }

        return task;
    }

    private async Task<AwsCredentials> RefreshAsync()
    {
        CredentialSnapshot previous = _state;
        try
        {
            AwsCredentials fresh;
            try
            {
                fresh = await _inner.GetCredentialsAsync(_disposed.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!_disposed.IsCancellationRequested)
            {
                return OnRefreshFailed(previous, ex);
            }

            long now = _time.GetTimestamp();
            DateTimeOffset wallNow = _time.GetUtcNow();
            if (fresh.Expiration is { } expiration && expiration <= wallNow)
            {
                var stale = new AwsCredentialException(
                    $"{fresh.SourceName} returned credentials that expired at {expiration:O}, at or before the current time {wallNow:O}. "
                    + "Check the clock of this machine, or the source's clock.",
                    fresh.SourceName,
                    isRecoverable: true);
                return OnRefreshFailed(previous, stale);
            }

            TimeSpan lifetime = fresh.Expiration is { } e ? e - wallNow : TimeSpan.MaxValue;
            TimeSpan advisory = RefreshWindows.AdvisoryFor(lifetime, _options.RefreshBeforeExpiry);
            CredentialSnapshot next = CreateSnapshot(fresh, now, wallNow, advisory, jitter: true);
            lock (_lock)
            {
                _state = next;
                _backoffUntil = long.MinValue;
                _backgroundRetryAt = long.MinValue;
                _cachedError = null;
                _cachedErrorUntil = long.MinValue;
                _refresh = null;
            }

            CacheLog.RefreshSucceeded(_logger, fresh.SourceName, fresh.Expiration, advisory);
            return fresh;
        }
        finally
        {
            lock (_lock)
            {
                _refresh = null;
            }
        }
    }

    private AwsCredentials OnRefreshFailed(CredentialSnapshot previous, Exception error)
    {
        long now = _time.GetTimestamp();
        bool recoverable = error is not AwsCredentialException { IsRecoverable: false };
        TimeSpan backoff = RefreshWindows.Between(RefreshWindows.MinBackoff, RefreshWindows.MaxBackoff, _random());
        string source = (error as AwsCredentialException)?.SourceName ?? previous.Credentials?.SourceName ?? "credential source";
        lock (_lock)
        {
            _refresh = null;
            _backgroundRetryAt = now + ToTicks(backoff);
            if (!recoverable)
            {
                TimeSpan errorCache = RefreshWindows.Between(RefreshWindows.MinErrorCache, RefreshWindows.MaxErrorCache, _random());
                _cachedError = ExceptionDispatchInfo.Capture(error);
                _cachedErrorUntil = now + ToTicks(errorCache);
                CacheLog.RefreshFailedNonRecoverable(_logger, error, source);
                if (previous.Phase == CachePhase.Advisory && previous.Credentials is { } stillValid)
                {
                    // Nobody is waiting in the advisory window: keep serving the valid credentials, retry after the backoff.
                    return stillValid;
                }

                _cachedError.Throw();
            }

            if (previous.Credentials is { } cached)
            {
                _backoffUntil = now + ToTicks(backoff);
                CacheLog.RefreshFailedServingCached(_logger, error, source, backoff.TotalSeconds);
                return cached;
            }
        }

        CacheLog.RefreshFailedNoCredentials(_logger, source);
        ExceptionDispatchInfo.Throw(error);
        return null!;
    }

    private CredentialSnapshot CreateSnapshot(AwsCredentials credentials, long now, DateTimeOffset wallNow, TimeSpan advisory, bool jitter)
    {
        if (credentials.Expiration is not { } expiration)
        {
            return new CredentialSnapshot(credentials, long.MaxValue, long.MaxValue, long.MaxValue, null, advisory, TimeSpan.Zero, TimeSpan.Zero);
        }

        TimeSpan remaining = expiration - wallNow;
        TimeSpan mandatory = RefreshWindows.MandatoryFor(advisory);
        TimeSpan jitterOffset = jitter ? (advisory - mandatory) * (_options.RefreshJitter * _random()) : TimeSpan.Zero;
        TimeSpan untilRefresh = remaining - advisory + jitterOffset;
        TimeSpan untilMandatory = remaining - mandatory;
        if (remaining > TimeSpan.Zero && untilRefresh <= TimeSpan.Zero && jitter)
        {
            // Credentials shorter-lived than their own window: refresh half-way through instead of at once, so there is no refresh loop.
            untilRefresh = remaining / 2;
            untilMandatory = untilMandatory > untilRefresh ? untilMandatory : remaining * 3 / 4;
            jitterOffset = untilRefresh - (remaining - advisory);
        }

        return new CredentialSnapshot(
            credentials,
            now + ToTicks(untilRefresh),
            now + ToTicks(untilMandatory),
            now + ToTicks(remaining),
            expiration,
            advisory,
            mandatory,
            jitterOffset);
    }

    private long ToTicks(TimeSpan span)
    {
        double ticks = span.TotalSeconds * _time.TimestampFrequency;
        return ticks >= long.MaxValue / 4 ? long.MaxValue / 4 : ticks <= long.MinValue / 4 ? long.MinValue / 4 : (long)ticks;
    }
}
