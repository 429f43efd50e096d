namespace WorkloadCredentials.Caching;

internal static class CachingConstants
{
    public const double DefaultRefreshJitter = 0.5;

    public static readonly TimeSpan DefaultRefreshTimeout = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan MinRefreshTimeout = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxRefreshTimeout = TimeSpan.FromHours(1);
}
