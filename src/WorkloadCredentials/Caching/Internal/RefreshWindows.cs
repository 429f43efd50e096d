namespace WorkloadCredentials.Caching.Internal;

/// <summary>The AWS SDKs' refresh spec numbers.</summary>
internal static class RefreshWindows
{
    public static readonly TimeSpan MaxMandatoryWindow = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(300);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(600);
    public static readonly TimeSpan MinErrorCache = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxErrorCache = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(1);

    /// <summary>The advisory window for a credential lifetime: up to 20 minutes, 5 minutes; below 90 minutes, 15 minutes; else 60 minutes.</summary>
    public static TimeSpan AdvisoryFor(TimeSpan lifetime, TimeSpan? configured)
    {
        if (configured is { } window)
        {
            return window;
        }

        if (lifetime <= TimeSpan.FromMinutes(20))
        {
            return TimeSpan.FromMinutes(5);
        }

        return lifetime < TimeSpan.FromMinutes(90) ? TimeSpan.FromMinutes(15) : TimeSpan.FromMinutes(60);
    }

    public static TimeSpan MandatoryFor(TimeSpan advisory) => advisory < MaxMandatoryWindow ? advisory : MaxMandatoryWindow;

    public static TimeSpan Between(TimeSpan min, TimeSpan max, double unit) => min + ((max - min) * unit);
}
