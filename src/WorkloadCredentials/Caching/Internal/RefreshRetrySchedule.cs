namespace WorkloadCredentials.Caching.Internal;

/// <summary>
/// When to try again after a failed refresh. The AWS SDKs' refresh spec backs off 300-600 s; we keep that while the cached
/// credentials outlive it, and otherwise retry sooner (a deliberate difference from the spec, see docs/caching.md):
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>The next attempt never falls after the expiry when it could fall before it: when the backoff would outlast
/// the credentials, the retry lands 50-90 % of the way to their expiry.</description></item>
/// <item><description>Once the credentials have expired (or a service rejected them), a failed refresh is retried within seconds:
/// 1-2 s, then doubling with jitter up to a cap of 45-60 s. Single flight still holds, so a fleet stays gentle: one fetch per
/// process per retry.</description></item>
/// </list>
/// </remarks>
internal static class RefreshRetrySchedule
{
    /// <summary>The first short retry: 1-2 s after the failure.</summary>
    public static readonly TimeSpan ShortBase = TimeSpan.FromSeconds(1);

    /// <summary>The short retries grow to this cap (less up to a quarter of jitter).</summary>
    public static readonly TimeSpan ShortCap = TimeSpan.FromSeconds(60);

    /// <summary>Gets the delay before the next refresh attempt.</summary>
    /// <param name="untilExpiry">How long the cached credentials stay valid; <see langword="null"/> when they never expire or none are cached.</param>
    /// <param name="rejected">Whether a service rejected the cached credentials (<c>Invalidate</c>): they are as good as expired.</param>
    /// <param name="shortFailures">How many short retries failed in a row before this one (0 for the first failure).</param>
    /// <param name="unit">A uniform random number in [0, 1).</param>
    public static TimeSpan AfterFailure(TimeSpan? untilExpiry, bool rejected, int shortFailures, double unit)
    {
        TimeSpan backoff = RefreshWindows.Between(RefreshWindows.MinBackoff, RefreshWindows.MaxBackoff, unit);
        if (!rejected && (untilExpiry is null || untilExpiry.Value > backoff))
        {
            return backoff;
        }

        if (!rejected && untilExpiry!.Value >= ShortBase * 2)
        {
            // Before the expiry, but not so close to it that the retry would beat the short schedule anyway.
            return untilExpiry.Value * (0.5 + (0.4 * unit));
        }

        return Short(shortFailures, unit);
    }

    /// <summary>1-2 s, 2-4 s, 4-8 s, ... and from 60 s on, 45-60 s.</summary>
    public static TimeSpan Short(int shortFailures, double unit)
    {
        int exponent = Math.Clamp(shortFailures, 0, 10);
        TimeSpan ceiling = ShortBase * Math.Pow(2, exponent + 1);
        if (ceiling >= ShortCap)
        {
            return ShortCap * (0.75 + (0.25 * unit));
        }

        return ceiling * (0.5 + (0.5 * unit));
    }
}
