namespace WorkloadCredentials.Soak;

/// <summary>
/// Whether the app is talking to its credential endpoints: every request (or reset connection) that reaches the fault proxy or the
/// fake STS/IMDS counts from its arrival to its answer (or abort). A load request that overlaps any of them counts as "during a
/// refresh". Refused connections are not seen (nothing listens), nor the pauses between the library's retries.
/// </summary>
internal sealed class RefreshActivity
{
    private int _inFlight;
    private long _epoch;

    /// <summary>Gets a mark to compare with <see cref="OverlapsSince"/> at the end of a load request.</summary>
    public (long Epoch, bool Busy) Mark() => (Interlocked.Read(ref _epoch), Volatile.Read(ref _inFlight) > 0);

    public bool OverlapsSince((long Epoch, bool Busy) mark) => mark.Busy || Volatile.Read(ref _inFlight) > 0 || Interlocked.Read(ref _epoch) != mark.Epoch;

    public void Begin()
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _epoch);
    }

    public void End() => Interlocked.Decrement(ref _inFlight);

    /// <summary>A call that begins and ends at once (a connection reset on arrival).</summary>
    public void Blip() => Interlocked.Increment(ref _epoch);
}
