namespace WorkloadCredentials.Tests.Simulation;

/// <summary>Keys the world issued: which service, and when they are valid (simulated time since the start).</summary>
/// <param name="Service">Which service issued them.</param>
/// <param name="IssuedAt">When.</param>
/// <param name="ExpiresAt">When they expire (true time).</param>
/// <param name="HostBehind">How far the host's wall clock was behind the true time when they were issued: the host, which can only
/// compare the expiry with its own clock, takes them for valid that much longer (until the clock is corrected).</param>
internal sealed record IssuedKey(string Service, TimeSpan IssuedAt, TimeSpan ExpiresAt, TimeSpan HostBehind)
{
    /// <summary>Gets the expiry as the host can know it.</summary>
    public TimeSpan ExpiresForHost => ExpiresAt + HostBehind;
}
