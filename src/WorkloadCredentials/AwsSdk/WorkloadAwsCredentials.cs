using Amazon.Runtime;
using WorkloadCredentials.AwsSdk.Internal;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.AwsSdk;

/// <summary>
/// An <see cref="AWSCredentials"/> over any <see cref="IAwsCredentialSource"/>, so that every AWS SDK client signs with it:
/// <c>new AmazonS3Client(new WorkloadAwsCredentials(source), config)</c>. <c>AddWorkloadCredentials()</c> registers one as the
/// container's <see cref="AWSCredentials"/>; give it to <c>AWSOptions.Credentials</c> for clients added with <c>AddAWSService&lt;T&gt;()</c>.
/// </summary>
/// <remarks>
/// Over a cached source (the ones <see cref="AwsCredentialSources"/> and dependency injection return), both
/// <see cref="GetCredentials"/> and <see cref="GetCredentialsAsync"/> complete synchronously on a cache hit, take no lock and
/// allocate nothing: the <see cref="ImmutableCredentials"/> and a completed task are built once per credentials snapshot.
/// </remarks>
public sealed class WorkloadAwsCredentials : AWSCredentials
{
    /// <summary>The least time between two invalidations on rejection: a key that keeps being rejected causes no refresh storm.</summary>
    internal static readonly TimeSpan MinInvalidationInterval = TimeSpan.FromSeconds(30);

    private readonly RefreshingCredentialCache? _cache;
    private SdkCredentialsSnapshot? _snapshot;
    private long _lastInvalidation = long.MinValue;

    /// <summary>Initializes a new instance of the <see cref="WorkloadAwsCredentials"/> class.</summary>
    /// <param name="source">The source of the credentials; usually a cached one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    public WorkloadAwsCredentials(IAwsCredentialSource source)
    {
        Source = Throw.IfNull(source);
        _cache = source as RefreshingCredentialCache;
        RejectedCredentialsPipeline.EnsureRegistered();
    }

    /// <summary>Gets the source the credentials come from. Cast it to <see cref="ICachedAwsCredentialSource"/> to invalidate rejected credentials.</summary>
    public IAwsCredentialSource Source { get; }

    /// <summary>Gets when the credentials last handed out expire (UTC), or <see langword="null"/> when they do not or none were handed out yet.</summary>
    /// <remarks>Reading it does no I/O. Setting it has no effect on what this instance reports.</remarks>
    public override DateTime? Expiration => (_cache?.Current ?? Volatile.Read(ref _snapshot)?.Credentials)?.Expiration?.UtcDateTime;

    /// <summary>Gets credentials to sign a request with, blocking only when the source must fetch them.</summary>
    /// <returns>The credentials.</returns>
    /// <exception cref="CredentialUnavailableException">No source could provide credentials.</exception>
    /// <exception cref="AwsCredentialException">The source is configured but failed.</exception>
    public override ImmutableCredentials GetCredentials()
    {
        if (_cache?.Current is { } current)
        {
            return SnapshotFor(current).Immutable;
        }

        ValueTask<AwsCredentials> pending = FetchAsync();
        AwsCredentials credentials = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        return SnapshotFor(credentials).Immutable;
    }

    /// <summary>Gets credentials to sign a request with. On a cache hit the returned task is already completed and shared.</summary>
    /// <returns>The credentials.</returns>
    /// <exception cref="CredentialUnavailableException">No source could provide credentials.</exception>
    /// <exception cref="AwsCredentialException">The source is configured but failed.</exception>
    public override Task<ImmutableCredentials> GetCredentialsAsync()
    {
        if (_cache?.Current is { } current)
        {
            return SnapshotFor(current).Task;
        }

        ValueTask<AwsCredentials> pending = FetchAsync();
        return pending.IsCompletedSuccessfully ? SnapshotFor(pending.Result).Task : AwaitAsync(pending);
    }

    /// <summary>
    /// The AWS SDK passes no cancellation token, so every wait is bounded here: a cache bounds its own refresh
    /// (<see cref="Caching.CredentialCacheOptions.RefreshTimeout"/>); any other source gets the same default budget.
    /// </summary>
    private ValueTask<AwsCredentials> FetchAsync() =>
        _cache is not null ? _cache.GetCredentialsAsync(CancellationToken.None) : FetchUncachedAsync();

    private async ValueTask<AwsCredentials> FetchUncachedAsync()
    {
        TimeSpan budget = CachingConstants.DefaultRefreshTimeout;
        using var timeout = new CancellationTokenSource(budget);
        try
        {
            return await Source.GetCredentialsAsync(timeout.Token).AsTask().WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            string name = Source.GetType().Name;
            throw new AwsCredentialException(
                $"{name} did not return credentials within {budget.TotalMinutes:F0} minutes, so the AWS SDK call was not left waiting. "
                + "Check what the source reads (an endpoint, a file, a process), or put it behind AwsCredentialSources.Cache, whose RefreshTimeout sets the budget.",
                name,
                isRecoverable: true);
        }
    }

    /// <summary>
    /// A service rejected <paramref name="accessKeyId"/> (signed by this instance): invalidates the cache for it, at most once per
    /// <see cref="MinInvalidationInterval"/>. Returns whether a retry can sign with other credentials.
    /// </summary>
    internal bool TryInvalidateRejected(string accessKeyId)
    {
        if (Source is not ICachedAwsCredentialSource cached)
        {
            return false;
        }

        if (_cache?.LastCredentials is { } held && !string.Equals(held.AccessKeyId, accessKeyId, StringComparison.Ordinal))
        {
            return true; // Already replaced by a refresh: the retry signs with the newer credentials.
        }

        TimeProvider time = _cache?.Time ?? TimeProvider.System;
        long now = time.GetTimestamp();
        long last = Interlocked.Read(ref _lastInvalidation);
        if (last != long.MinValue && time.GetElapsedTime(last, now) < MinInvalidationInterval)
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref _lastInvalidation, now, last) != last)
        {
            return false;
        }

        cached.Invalidate(accessKeyId);
        return true;
    }

    private async Task<ImmutableCredentials> AwaitAsync(ValueTask<AwsCredentials> pending)
    {
        AwsCredentials credentials = await pending.ConfigureAwait(false);
        return SnapshotFor(credentials).Immutable;
    }

    private SdkCredentialsSnapshot SnapshotFor(AwsCredentials credentials)
    {
        SdkCredentialsSnapshot? snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && ReferenceEquals(snapshot.Credentials, credentials))
        {
            return snapshot;
        }

        // A new snapshot: build its SDK view once. Racing callers may each build one; the last write wins, all are correct.
        snapshot = new SdkCredentialsSnapshot(credentials);
        Volatile.Write(ref _snapshot, snapshot);
        return snapshot;
    }
}
