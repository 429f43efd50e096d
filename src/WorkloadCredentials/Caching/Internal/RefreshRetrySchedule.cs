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
/// <item><description>Once the source has been failing for 5 minutes (an outage, not a blip), expired credentials retry uniformly
/// between 1 minute and the time it has been failing, at most 10 minutes: after a long outage a fleet's expired processes come
/// back spread over minutes instead of all within the first one (the recovery herd), and none waits longer than the spec's
/// backoff.</description></item>
/// </list>
/// </remarks>
internal static class RefreshRetrySchedule
{
    /// <summary>The first short retry: 1-2 s after the failure.</summary>
    public static readonly TimeSpan ShortBase = TimeSpan.FromSeconds(1);

    /// <summary>The short retries grow to this cap (less up to a quarter of jitter).</summary>
    public static readonly TimeSpan ShortCap = TimeSpan.FromSeconds(60);

    /// <summary>From this long into a failing streak, the source is out (not a blip): expired credentials retry on the wide schedule.</summary>
    public static readonly TimeSpan PersistentAfter = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The wide schedule's ceiling: the longest a process waits for its next attempt once the source has been out for long. The
    /// spec's own backoff (600 s at most), so recovery is never slower than the spec's.
    /// </summary>
    public static readonly TimeSpan WideCap = RefreshWindows.MaxBackoff;

    /// <summary>Gets the delay before the next refresh attempt.</summary>
    /// <param name="untilExpiry">How long the cached credentials stay valid; <see langword="null"/> when they never expire or none are cached.</param>
    /// <param name="rejected">Whether a service rejected the cached credentials (<c>Invalidate</c>): they are as good as expired.</param>
    /// <param name="shortFailures">How many short retries failed in a row before this one (0 for the first failure).</param>
    /// <param name="failingFor">How long the source has been failing, from the first failure of this streak.</param>
    /// <param name="unit">A uniform random number in [0, 1).</param>
    public static TimeSpan AfterFailure(TimeSpan? untilExpiry, bool rejected, int shortFailures, TimeSpan failingFor, double unit)
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

        return failingFor < PersistentAfter ? Short(shortFailures, unit) : Wide(failingFor, unit);
    }

    /// <summary>Uniform between the short cap and the time the source has been failing, at most <see cref="WideCap"/>.</summary>
    public static TimeSpan Wide(TimeSpan failingFor, double unit) =>
        RefreshWindows.Between(ShortCap, failingFor < WideCap ? failingFor : WideCap, unit);

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
