using Microsoft.Extensions.Time.Testing;

namespace WorkloadCredentials.FleetSimulation;

/// <summary>One pod's view of STS: logs every call at the pod's clock, fails during the outage, else issues credentials of the plan's lifetime.</summary>
internal sealed class FakeSts(FleetPlan plan, FakeTimeProvider time, CallLog log) : IAwsCredentialSource
{
    private bool _holdsCredentials;

    /// <summary>The pod restarted: its next call is a cold start again.</summary>
    public void Restart() => _holdsCredentials = false;

    public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = time.GetUtcNow();
        TimeSpan at = now - Fleet.Epoch;
        log.Record(at, cold: !_holdsCredentials);
        if (plan.InOutage(at))
        {
            return ValueTask.FromException<AwsCredentials>(new AwsCredentialException("STS is unavailable (simulated outage).", "fake-sts", isRecoverable: true));
        }

        _holdsCredentials = true;
        return new ValueTask<AwsCredentials>(new AwsCredentials("ASIAFLEETSIMULATION1", "simulated-secret", "simulated-token", now + plan.Lifetime, "fake-sts"));
    }
}
