using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Health;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

namespace WorkloadCredentials.Tests.Health;

/// <summary>Every health transition of a cache on a fake clock: unresolved, fresh, failed refresh, mandatory window, expired, recovered.</summary>
public sealed class WorkloadCredentialsHealthCheckTests
{
    private const string Secret = "health-secret-access-key-0000000001";
    private const string Token = "health-session-token-000000000000000000001";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Transitions_UnresolvedHealthyDegradedUnhealthyHealthy()
    {
        var time = new FakeTimeProvider(Start);
        var source = new SwitchSource { Clock = time };
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, new WorkloadCredentials.Internal.Telemetry.CredentialTelemetry(SecretScanLogging.Logger), () => 0.5, static r => r(), TimeSpan.FromSeconds(1));
        using ServiceProvider services = Services(cache, time);
        var check = new WorkloadCredentialsHealthCheck(services, sourceName: null);

        // Nothing resolves: unhealthy, with the library's reason.
        source.Answer = _ => throw new CredentialUnavailableException("Environment: AWS_ACCESS_KEY_ID is not set. StaticKeys: not configured.", "Chain");
        HealthCheckResult unresolved = await CheckAsync(check);
        Assert.Equal(HealthStatus.Unhealthy, unresolved.Status);
        Assert.Contains("AWS_ACCESS_KEY_ID is not set", (string)unresolved.Data["lastError"], StringComparison.Ordinal);

        // Resolves: healthy, with source, role, expiry and the key redacted.
        source.Answer = now => Credentials(now.AddHours(1));
        time.Advance(TimeSpan.FromSeconds(10));
        HealthCheckResult healthy = await CheckAsync(check);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal("Switch", healthy.Data["source"]);
        Assert.Equal("arn:aws:iam::111122223333:role/app", healthy.Data["role"]);
        Assert.Equal("AKIDHEAL***", healthy.Data["accessKeyId"]);
        Assert.Equal("2026-01-01T01:00:10Z", healthy.Data["expiration"]);
        Assert.False(healthy.Data.ContainsKey("lastError"));

        // Refreshes fail from the advisory window on: degraded, serving the cached credentials, with the last error.
        source.Answer = _ => throw new AwsCredentialException("AssumeRole: STS answered 503 ServiceUnavailable.", "AssumeRole", isRecoverable: true);
        await AdvanceAsync(time, cache, TimeSpan.FromMinutes(52));
        HealthCheckResult degraded = await CheckAsync(check);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("STS answered 503", (string)degraded.Data["lastError"], StringComparison.Ordinal);

        // Past the expiry with every refresh failing: unhealthy.
        await AdvanceAsync(time, cache, TimeSpan.FromMinutes(10));
        HealthCheckResult expired = await CheckAsync(check);
        Assert.Equal(HealthStatus.Unhealthy, expired.Status);
        Assert.Contains("expired", expired.Description, StringComparison.Ordinal);

        // The source answers again: the next retry brings it back to healthy. The source has been failing for over half an hour
        // (since the first refresh point, minute 27 with this random), so that retry is on the wide schedule: within 10 minutes.
        source.Answer = now => Credentials(now.AddHours(1));
        await AdvanceAsync(time, cache, TimeSpan.FromMinutes(10));
        HealthCheckResult recovered = await CheckAsync(check);
        Assert.Equal(HealthStatus.Healthy, recovered.Status);

        foreach (HealthCheckResult result in new[] { unresolved, healthy, degraded, expired, recovered })
        {
            string text = result.Description + " " + string.Join(" ", result.Data.Select(d => d.Key + "=" + d.Value));
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
            SecretScanner.Check(text, "health");
        }
    }

    [Fact]
    public void Evaluate_MandatoryWindowWithoutError_Degraded()
    {
        HealthCheckResult result = CredentialHealth.Evaluate(new CacheStatus(Credentials(Start.AddSeconds(30)), CachePhase.Mandatory, null), "default", Start);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("mandatory", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_AdvisoryWindowWithoutError_Healthy()
    {
        HealthCheckResult result = CredentialHealth.Evaluate(new CacheStatus(Credentials(Start.AddMinutes(5)), CachePhase.Advisory, null), "default", Start);

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public void Evaluate_ErrorQuotingTheSecret_IsMasked()
    {
        var error = new AwsCredentialException($"credential_process printed {Secret} and failed", "Profile", isRecoverable: true);

        HealthCheckResult result = CredentialHealth.Evaluate(new CacheStatus(Credentials(Start.AddHours(1)), CachePhase.Fresh, error), "default", Start);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.DoesNotContain(Secret, (string)result.Data["lastError"], StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamedRegistration_ChecksTheKeyedSource()
    {
        var time = new FakeTimeProvider(Start);
        var source = new SwitchSource { Clock = time, Answer = now => Credentials(now.AddHours(1)) };
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, new WorkloadCredentials.Internal.Telemetry.CredentialTelemetry(SecretScanLogging.Logger), () => 0.5, static r => r(), TimeSpan.FromSeconds(1));
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<TimeProvider>(time);
        collection.AddKeyedSingleton<ICachedAwsCredentialSource>("backups", cache);
        collection.AddHealthChecks().AddWorkloadCredentials("backups");
        using ServiceProvider services = collection.BuildServiceProvider();

        HealthReport report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        HealthReportEntry entry = Assert.Single(report.Entries, e => e.Key == "aws-credentials-backups").Value;
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("backups", entry.Data["registration"]);
    }

    private static ServiceProvider Services(ICachedAwsCredentialSource cache, TimeProvider time)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton(cache);
        collection.AddSingleton(time);
        return collection.BuildServiceProvider();
    }

    private static Task<HealthCheckResult> CheckAsync(IHealthCheck check) =>
        check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

    private static async Task AdvanceAsync(FakeTimeProvider time, RefreshingCredentialCache cache, TimeSpan by)
    {
        for (TimeSpan done = TimeSpan.Zero; done < by; done += TimeSpan.FromSeconds(5))
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await cache.PendingRefresh;
        }
    }

    private static AwsCredentials Credentials(DateTimeOffset expiration) =>
        new("AKIDHEALTHCHECK01", Secret, Token, expiration, "Switch") { RoleArn = "arn:aws:iam::111122223333:role/app" };

    private sealed class SwitchSource : IAwsCredentialSource
    {
        public Func<DateTimeOffset, AwsCredentials> Answer { get; set; } = _ => throw new CredentialUnavailableException("not set", "Switch");

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                return new ValueTask<AwsCredentials>(Answer(Now));
            }
            catch (Exception ex)
            {
                return ValueTask.FromException<AwsCredentials>(ex);
            }
        }

        public FakeTimeProvider? Clock { get; set; }

        private DateTimeOffset Now => Clock?.GetUtcNow() ?? Start;
    }
}
