namespace WorkloadCredentials.FleetSimulation;

/// <summary>STS calls per simulated second, split into cold-start fetches (a pod with nothing cached) and the rest.</summary>
internal sealed class CallLog(int seconds)
{
    public int[] Refreshes { get; } = new int[seconds];

    public int[] ColdStarts { get; } = new int[seconds];

    public void Record(TimeSpan at, bool cold)
    {
        int second = (int)at.TotalSeconds;
        if (second >= 0 && second < Refreshes.Length)
        {
            (cold ? ColdStarts : Refreshes)[second]++;
        }
    }

    public void Add(CallLog other)
    {
        for (int i = 0; i < Refreshes.Length; i++)
        {
            Refreshes[i] += other.Refreshes[i];
            ColdStarts[i] += other.ColdStarts[i];
        }
    }
}
