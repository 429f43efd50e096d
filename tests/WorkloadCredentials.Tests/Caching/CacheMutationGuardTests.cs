using Microsoft.Extensions.Options;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Tests.Caching;

/// <summary>
/// Issue 15, item 3: the exact edges of the cache's arithmetic (phase boundaries on both clocks, the spec's windows, the retry
/// schedule, the option bounds), each pinned one tick either side so that a flipped comparison or sign fails a test.
/// </summary>
public sealed class CacheMutationGuardTests
{
    private static readonly DateTimeOffset Expiry = new(2026, 1, 1, 1, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Advisory = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Mandatory = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Jitter = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    // Monotonic deadlines far in the future: only the wall clock decides, unless a test says otherwise.
    private const long Far = 1_000_000;

    [Fact]
    public void WallClock_EachPhaseStartsExactlyAtItsBoundary()
    {
        CredentialSnapshot snapshot = Snapshot(Far, Far, Far);
        DateTimeOffset advisoryStart = Expiry - Advisory + Jitter;
        DateTimeOffset mandatoryStart = Expiry - Mandatory;

        Assert.Equal(CachePhase.Fresh, snapshot.Evaluate(0, advisoryStart - Tick));
        Assert.Equal(CachePhase.Advisory, snapshot.Evaluate(0, advisoryStart));
        Assert.Equal(CachePhase.Advisory, snapshot.Evaluate(0, mandatoryStart - Tick));
        Assert.Equal(CachePhase.Mandatory, snapshot.Evaluate(0, mandatoryStart));
        Assert.Equal(CachePhase.Mandatory, snapshot.Evaluate(0, Expiry - Tick));
        Assert.Equal(CachePhase.Expired, snapshot.Evaluate(0, Expiry));
    }

    [Fact]
    public void MonotonicClock_EachPhaseStartsExactlyAtItsDeadline()
    {
        CredentialSnapshot snapshot = Snapshot(refreshAt: 100, mandatoryAt: 200, expiresAt: 300);
        DateTimeOffset early = Expiry - TimeSpan.FromHours(1);

        Assert.Equal(CachePhase.Fresh, snapshot.Evaluate(99, early));
        Assert.Equal(CachePhase.Advisory, snapshot.Evaluate(100, early));
        Assert.Equal(CachePhase.Advisory, snapshot.Evaluate(199, early));
        Assert.Equal(CachePhase.Mandatory, snapshot.Evaluate(200, early));
        Assert.Equal(CachePhase.Mandatory, snapshot.Evaluate(299, early));
        Assert.Equal(CachePhase.Expired, snapshot.Evaluate(300, early));
    }

    [Fact]
    public void NoCredentials_AlwaysExpired()
    {
        var snapshot = new CredentialSnapshot(null, Far, Far, Far, Expiry, Advisory, Mandatory, Jitter);

        Assert.Equal(CachePhase.Expired, snapshot.Phase);
        Assert.Equal(CachePhase.Expired, snapshot.Evaluate(0, Expiry - TimeSpan.FromHours(1)));
        Assert.Equal(CachePhase.Expired, CredentialSnapshot.Empty.Phase);
        Assert.Null(CredentialSnapshot.Empty.Credentials);
    }

    [Fact]
    public void NoExpiration_FreshWhateverTheClocksSay()
    {
        var snapshot = new CredentialSnapshot(Credentials(null), 0, 0, 0, null, Advisory, TimeSpan.Zero, TimeSpan.Zero);

        Assert.Equal(CachePhase.Fresh, snapshot.Phase);
        Assert.Equal(CachePhase.Fresh, snapshot.Evaluate(Far, DateTimeOffset.MaxValue));
    }

    [Fact]
    public void Invalidated_FreshAndAdvisoryBecomeMandatory_ExpiredStaysExpired()
    {
        CredentialSnapshot snapshot = Snapshot(Far, Far, Far);
        Assert.False(snapshot.Invalidated);

        snapshot.Invalidate();

        Assert.True(snapshot.Invalidated);
        Assert.Equal(CachePhase.Mandatory, snapshot.Phase);
        Assert.Equal(CachePhase.Mandatory, snapshot.Evaluate(0, Expiry - TimeSpan.FromHours(1)));
        Assert.Equal(CachePhase.Mandatory, snapshot.Evaluate(0, Expiry - Advisory + Jitter));
        Assert.Equal(CachePhase.Expired, snapshot.Evaluate(0, Expiry));

        CredentialSnapshot expired = Snapshot(Far, Far, Far);
        expired.Phase = CachePhase.Expired;
        expired.Invalidate();
        Assert.Equal(CachePhase.Expired, expired.Phase);
    }

    [Fact]
    public void AdvisoryWindow_FollowsTheLifetimeAtTheSpecBoundaries()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), RefreshWindows.AdvisoryFor(TimeSpan.FromMinutes(20), null));
        Assert.Equal(TimeSpan.FromMinutes(15), RefreshWindows.AdvisoryFor(TimeSpan.FromMinutes(20) + Tick, null));
        Assert.Equal(TimeSpan.FromMinutes(15), RefreshWindows.AdvisoryFor(TimeSpan.FromMinutes(90) - Tick, null));
        Assert.Equal(TimeSpan.FromMinutes(60), RefreshWindows.AdvisoryFor(TimeSpan.FromMinutes(90), null));
        Assert.Equal(TimeSpan.FromSeconds(42), RefreshWindows.AdvisoryFor(TimeSpan.FromMinutes(90), TimeSpan.FromSeconds(42)));
    }

    [Fact]
    public void MandatoryWindow_IsTheAdvisoryWindowCappedAtOneMinute()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), RefreshWindows.MandatoryFor(TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromMinutes(1), RefreshWindows.MandatoryFor(TimeSpan.FromMinutes(1)));
        Assert.Equal(TimeSpan.FromMinutes(1), RefreshWindows.MandatoryFor(TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public void Between_SpansMinToMax()
    {
        Assert.Equal(TimeSpan.FromSeconds(300), RefreshWindows.Between(RefreshWindows.MinBackoff, RefreshWindows.MaxBackoff, 0));
        Assert.Equal(TimeSpan.FromSeconds(450), RefreshWindows.Between(RefreshWindows.MinBackoff, RefreshWindows.MaxBackoff, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(600), RefreshWindows.Between(RefreshWindows.MinBackoff, RefreshWindows.MaxBackoff, 1));
    }

    [Fact]
    public void AfterFailure_SpecBackoffWhileTheCredentialsOutliveIt()
    {
        Assert.Equal(TimeSpan.FromSeconds(300), RefreshRetrySchedule.AfterFailure(null, rejected: false, 0, TimeSpan.Zero, 0));
        Assert.Equal(TimeSpan.FromSeconds(600), RefreshRetrySchedule.AfterFailure(null, rejected: false, 7, TimeSpan.Zero, 1));
        Assert.Equal(TimeSpan.FromSeconds(450), RefreshRetrySchedule.AfterFailure(TimeSpan.FromSeconds(450) + Tick, rejected: false, 0, TimeSpan.Zero, 0.5));
    }

    [Fact]
    public void AfterFailure_BeforeTheExpiryWhenTheBackoffWouldOutlastIt()
    {
        // Exactly the backoff left: the retry lands 50-90 % of the way to the expiry, not at it.
        Assert.Equal(TimeSpan.FromSeconds(315), RefreshRetrySchedule.AfterFailure(TimeSpan.FromSeconds(450), rejected: false, 0, TimeSpan.Zero, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(50), RefreshRetrySchedule.AfterFailure(TimeSpan.FromSeconds(100), rejected: false, 0, TimeSpan.Zero, 0));
        Assert.Equal(TimeSpan.FromSeconds(90), RefreshRetrySchedule.AfterFailure(TimeSpan.FromSeconds(100), rejected: false, 0, TimeSpan.Zero, 1));

        // Two seconds left is still "before the expiry"; just under two falls to the short schedule (1-2 s on the first failure).
        Assert.Equal(TimeSpan.FromSeconds(1.4), RefreshRetrySchedule.AfterFailure(TimeSpan.FromSeconds(2), rejected: false, 0, TimeSpan.Zero, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(1.5), RefreshRetrySchedule.AfterFailure(TimeSpan.FromSeconds(2) - Tick, rejected: false, 0, TimeSpan.Zero, 0.5));
    }

    [Fact]
    public void AfterFailure_RejectedCredentialsRetryOnTheShortSchedule()
    {
        Assert.Equal(TimeSpan.FromSeconds(1.5), RefreshRetrySchedule.AfterFailure(null, rejected: true, 0, TimeSpan.Zero, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(3), RefreshRetrySchedule.AfterFailure(TimeSpan.FromHours(1), rejected: true, 1, TimeSpan.Zero, 0.5));
    }

    [Theory]
    [InlineData(-3, 0.0, 1.0)]
    [InlineData(0, 0.0, 1.0)]
    [InlineData(0, 1.0, 2.0)]
    [InlineData(1, 0.0, 2.0)]
    [InlineData(4, 1.0, 32.0)]
    [InlineData(5, 0.0, 45.0)]
    [InlineData(5, 1.0, 60.0)]
    [InlineData(10, 0.5, 52.5)]
    [InlineData(500, 0.0, 45.0)]
    public void Short_DoublesFromOneSecondUpToTheCap(int shortFailures, double unit, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RefreshRetrySchedule.Short(shortFailures, unit));

    [Theory]
    [InlineData(0.0, 1.0, true)]
    [InlineData(12.0 * 3600, 3600.0, true)]
    [InlineData(-0.001, 1.0, false)]
    [InlineData((12.0 * 3600) + 0.001, 1.0, false)]
    [InlineData(60.0, 0.999, false)]
    [InlineData(60.0, 3600.001, false)]
    public void Options_BoundsAreInclusive(double refreshBeforeExpirySeconds, double refreshTimeoutSeconds, bool valid)
    {
        var options = new CredentialCacheOptions
        {
            RefreshBeforeExpiry = TimeSpan.FromSeconds(refreshBeforeExpirySeconds),
            RefreshTimeout = TimeSpan.FromSeconds(refreshTimeoutSeconds),
        };
        var errors = new ValidateOptionsResultBuilder();

        CredentialCacheOptionsValidator.Validate(options, SettingPath.Configuration("AWS:Cache"), errors);

        ValidateOptionsResult result = errors.Build();
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            string message = Assert.Single(result.Failures!);
            Assert.StartsWith("AWS:Cache:Refresh", message, StringComparison.Ordinal);
            Assert.Contains("must lie between", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Options_NoWindowConfigured_IsValid_BothWrong_BothNamed()
    {
        var errors = new ValidateOptionsResultBuilder();
        CredentialCacheOptionsValidator.Validate(new CredentialCacheOptions(), SettingPath.Code, errors);
        Assert.True(errors.Build().Succeeded);

        errors = new ValidateOptionsResultBuilder();
        var wrong = new CredentialCacheOptions { RefreshBeforeExpiry = TimeSpan.FromHours(13), RefreshTimeout = TimeSpan.Zero };
        CredentialCacheOptionsValidator.Validate(wrong, SettingPath.Code, errors);
        string[] failures = [.. errors.Build().Failures!];
        Assert.Equal(2, failures.Length);
        Assert.Equal("RefreshBeforeExpiry must lie between 00:00:00 and 12:00:00; it is 13:00:00.", failures[0]);
        Assert.Equal("RefreshTimeout must lie between 00:00:01 and 01:00:00; it is 00:00:00.", failures[1]);
    }

    [Fact]
    public void Options_Defaults()
    {
        var options = new CredentialCacheOptions();

        Assert.Null(options.RefreshBeforeExpiry);
        Assert.Equal(0.5, options.RefreshJitter);
        Assert.Equal(TimeSpan.FromMinutes(2), options.RefreshTimeout);
    }

    private static CredentialSnapshot Snapshot(long refreshAt, long mandatoryAt, long expiresAt) =>
        new(Credentials(Expiry), refreshAt, mandatoryAt, expiresAt, Expiry, Advisory, Mandatory, Jitter);

    private static AwsCredentials Credentials(DateTimeOffset? expiration) =>
        new("AKIDGUARD", "guard-secret", "guard-token", expiration, "Guard");
}
