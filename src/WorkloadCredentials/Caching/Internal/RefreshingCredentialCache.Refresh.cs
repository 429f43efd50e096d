using System.Globalization;
using System.Runtime.ExceptionServices;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Caching.Internal;

/// <summary>The refresh itself: the budget, publishing new credentials, and what a failure schedules.</summary>
internal sealed partial class RefreshingCredentialCache
{
    /// <summary>The earliest first refresh point after a start, as a fraction of the credentials' remaining lifetime.</summary>
    private const double FirstRefreshEarliest = 0.1;

    private Task<AwsCredentials> StartRefreshLocked(bool background)
    {
        _telemetry.RefreshStarted(_state.Phase.ToString(), background);
        Task<AwsCredentials> task = _startRefresh(background ? _backgroundRefresh : _callerRefresh);
        if (!task.IsCompleted)
        {
            _refresh = task;
        }

        return task;
    }

    private async Task<AwsCredentials> RefreshAsync(bool background)
    {
        CredentialSnapshot previous = _state;
        using RefreshScope scope = CredentialTelemetry.StartRefresh(background, previous.Phase.ToString(), _time);
        try
        {
            AwsCredentials fresh;
            try
            {
                fresh = await FetchWithinBudgetAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (!_disposed.IsCancellationRequested)
            {
                return OnRefreshFailed(previous, ex, scope);
            }
            catch (Exception) when (_disposed.IsCancellationRequested)
            {
                throw CreateDisposedException();
            }

            long now = _time.GetTimestamp();
            DateTimeOffset wallNow = _time.GetUtcNow();
            if (fresh.Expiration is { } expiration && expiration <= wallNow)
            {
                var stale = new AwsCredentialException(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{fresh.SourceName}: the credentials it returned expired at {expiration.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} (now {wallNow.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}), so they are not handed out. Check what the source serves (and this machine's clock), then try again."),
                    fresh.SourceName,
                    isRecoverable: true);
                return OnRefreshFailed(previous, stale, scope);
            }

            TimeSpan lifetime = fresh.Expiration is { } e ? e - wallNow : TimeSpan.MaxValue;
            TimeSpan advisory = RefreshWindows.AdvisoryFor(lifetime, _options.RefreshBeforeExpiry);
            CredentialSnapshot next = CreateSnapshot(fresh, now, wallNow, advisory, jitter: true, firstFetch: !_fetchedOnce);
            lock (_lock)
            {
                if (Volatile.Read(ref _disposeCount) != 0)
                {
                    throw CreateDisposedException();
                }

                _state = next;
                _fetchedOnce = true;
                _shortFailures = 0;
                _failingSince = long.MinValue;
                _backoffUntil = long.MinValue;
                _backgroundRetryAt = long.MinValue;
                _cachedError = null;
                _cachedErrorUntil = long.MinValue;
                _refresh = null;
            }

            RecordRefreshOutcome(null);
            _telemetry.RefreshSucceeded(scope, fresh.SourceName, fresh.Expiration, advisory);
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

    private AwsCredentials OnRefreshFailed(CredentialSnapshot previous, Exception error, RefreshScope scope)
    {
        long now = _time.GetTimestamp();
        bool recoverable = error is not AwsCredentialException { IsRecoverable: false };
        string source = (error as AwsCredentialException)?.SourceName ?? previous.Credentials?.SourceName ?? _description;
        TimeSpan? untilExpiry = UntilExpiry(previous, now, _time.GetUtcNow());
        RecordRefreshOutcome(error);
        lock (_lock)
        {
            _failingSince = _failingSince == long.MinValue ? now : _failingSince;
            TimeSpan failingFor = TimeSpan.FromSeconds((double)(now - _failingSince) / _time.TimestampFrequency);
            TimeSpan backoff = RefreshRetrySchedule.AfterFailure(untilExpiry, previous.Invalidated, _shortFailures, failingFor, _random());
            if (previous.Invalidated || untilExpiry < RefreshRetrySchedule.ShortBase * 2)
            {
                _shortFailures++;
            }

            _refresh = null;
            _backgroundRetryAt = now + ToTicks(backoff);
            if (!recoverable)
            {
                TimeSpan errorCache = RefreshWindows.Between(RefreshWindows.MinErrorCache, RefreshWindows.MaxErrorCache, _random());
                _cachedError = ExceptionDispatchInfo.Capture(error);
                _cachedErrorUntil = now + ToTicks(errorCache);
                _telemetry.RefreshFailedNonRecoverable(scope, error, source);
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
                _telemetry.RefreshFailedServingCached(scope, error, source, backoff.TotalSeconds, untilExpiry <= TimeSpan.Zero);
                return cached;
            }
        }

        _telemetry.RefreshFailedNoCredentials(scope, error, source);
        ExceptionDispatchInfo.Throw(error);
        return null!;
    }

    /// <summary>Works out the refresh points of newly fetched credentials.</summary>
    /// <remarks>
    /// With jitter on, the background refresh point lies at random in the first part of the advisory window. The first fetch of a
    /// cache (<paramref name="firstFetch"/>) draws it instead uniformly between 10 % of the credentials' lifetime and that point,
    /// never later: the pods of a deploy start within a minute, and without this they would refresh within the same few minutes
    /// every cycle. It costs at most one early refresh per cache per start; later fetches keep the normal schedule, which lets
    /// the spread phases drift apart further. The mandatory point is never moved.
    /// </remarks>
    private CredentialSnapshot CreateSnapshot(AwsCredentials credentials, long now, DateTimeOffset wallNow, TimeSpan advisory, bool jitter, bool firstFetch = false)
    {
        if (credentials.Expiration is not { } expiration)
        {
            return new CredentialSnapshot(credentials, long.MaxValue, long.MaxValue, long.MaxValue, null, advisory, TimeSpan.Zero, TimeSpan.Zero);
        }

        TimeSpan remaining = expiration - wallNow;
        TimeSpan mandatory = RefreshWindows.MandatoryFor(advisory);
        TimeSpan jitterOffset = jitter ? (advisory - mandatory) * (_options.RefreshJitter * _random()) : TimeSpan.Zero;
        TimeSpan untilRefresh = remaining - advisory + jitterOffset;
        TimeSpan earliest = remaining * FirstRefreshEarliest;
        if (firstFetch && jitter && _options.RefreshJitter > 0 && untilRefresh > earliest)
        {
            untilRefresh = earliest + ((untilRefresh - earliest) * _random());
            jitterOffset = untilRefresh - (remaining - advisory);
        }

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

    /// <summary>Fetches from the source within <see cref="CredentialCacheOptions.RefreshTimeout"/>.</summary>
    /// <remarks>
    /// The source gets a token that fires at the budget or on dispose; a source that does not honour it (a blocking read) is
    /// abandoned all the same, so the refresh slot is free again and every waiter gets an answer.
    /// </remarks>
    private async Task<AwsCredentials> FetchWithinBudgetAsync()
    {
        TimeSpan budget = _options.RefreshTimeout;
        using var timeout = new CancellationTokenSource(budget, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token, timeout.Token);
        // Tracked before the call: a source can run (and let its caller dispose the cache) before its first await returns.
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TrackFetch(ended.Task);
        Task<AwsCredentials> fetch;
        try
        {
            fetch = _inner.GetCredentialsAsync(linked.Token).AsTask();
        }
        catch
        {
            ended.TrySetResult();
            throw;
        }

        _ = fetch.ContinueWith(static (_, state) => ((TaskCompletionSource)state!).TrySetResult(), ended, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            return await fetch.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !_disposed.IsCancellationRequested)
        {
            ObserveAbandoned(fetch);
            throw new AwsCredentialException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{_description}: the credential refresh did not finish within {budget:c} (CredentialCacheOptions.RefreshTimeout, configuration key AWS:Cache:RefreshTimeout). The source is stuck or too slow: check that what it reads answers (an endpoint, a file, a credential_process), or raise the timeout. Cached credentials, if any, keep being served."),
                _description,
                isRecoverable: true);
        }
        catch (Exception) when (!fetch.IsCompleted)
        {
            ObserveAbandoned(fetch);
            throw;
        }
    }

    private static void ObserveAbandoned(Task fetch) =>
        _ = fetch.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private TimeSpan? UntilExpiry(CredentialSnapshot snapshot, long now, DateTimeOffset wallNow)
    {
        if (snapshot.Credentials is null || snapshot.WallExpiration is not { } expiration)
        {
            return null;
        }

        TimeSpan monotonic = TimeSpan.FromSeconds((double)(snapshot.ExpiresAt - now) / _time.TimestampFrequency);
        TimeSpan wall = expiration - wallNow;
        return monotonic < wall ? monotonic : wall;
    }
}
