namespace WorkloadCredentials.Caching;

internal static class CachingConstants
{
    public const double DefaultRefreshJitter = 0.5;
}
