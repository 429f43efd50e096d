using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

namespace WorkloadCredentials.Tests.Caching;

/// <summary>
/// The first refresh point after a start is spread between 10 % of the lifetime and the normal jittered point (a deploy's pods
/// must not refresh in lock-step every cycle); later fetches keep the normal schedule.
/// </summary>
public sealed class FirstRefreshScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // 1-hour credentials: advisory window 15 min, mandatory 1 min, jitter 0.5, so the normal point is 45 + 7 x random minutes in.
    [Theory]
    [InlineData(0.0, 6.0, 45.0)]
    [InlineData(1 - 1e-9, 52.0, 52.0)]
    public async Task FirstFetch_JitterOn_FirstPointSpreadSecondNormal(double random, double firstMinutes, double normalMinutes)
    {
        var time = new FakeTimeProvider(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh, Lifetime = TimeSpan.FromHours(1) };
        using var cache = Create(source, time, new CredentialCacheOptions(), random);
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        await AdvanceAsync(cache, time, TimeSpan.FromMinutes(firstMinutes) - TimeSpan.FromSeconds(3));
        Assert.Equal(1, source.Calls);
        await AdvanceAsync(cache, time, TimeSpan.FromSeconds(5));
        Assert.Equal(2, source.Calls);

        // The second fetch (2 s ago) uses the normal schedule.
        await AdvanceAsync(cache, time, TimeSpan.FromMinutes(normalMinutes) - TimeSpan.FromSeconds(5));
        Assert.Equal(2, source.Calls);
        await AdvanceAsync(cache, time, TimeSpan.FromSeconds(5));
        Assert.Equal(3, source.Calls);
        Assert.Equal(0, source.UnexpectedCalls);
    }

    [Fact]
    public async Task FirstFetch_JitterOff_NormalPoint()
    {
        var time = new FakeTimeProvider(Start);
        var source = new ScriptedCredentialSource(time) { Next = ScriptedCredentialSource.Answer.Fresh, Lifetime = TimeSpan.FromHours(1) };
        using var cache = Create(source, time, new CredentialCacheOptions { RefreshJitter = 0 }, random: 0);
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        await AdvanceAsync(cache, time, TimeSpan.FromMinutes(45) - TimeSpan.FromSeconds(3));
        Assert.Equal(1, source.Calls);
        await AdvanceAsync(cache, time, TimeSpan.FromSeconds(5));
        Assert.Equal(2, source.Calls);
    }

    private static RefreshingCredentialCache Create(IAwsCredentialSource source, TimeProvider time, CredentialCacheOptions options, double random) =>
        new(source, options, time, new CredentialTelemetry(SecretScanLogging.Logger), () => random, static r => r(), TimeSpan.FromSeconds(1));

    private static async Task AdvanceAsync(RefreshingCredentialCache cache, FakeTimeProvider time, TimeSpan span)
    {
        for (TimeSpan done = TimeSpan.Zero; done < span; done += TimeSpan.FromSeconds(1))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await cache.PendingRefresh;
        }
    }
}
