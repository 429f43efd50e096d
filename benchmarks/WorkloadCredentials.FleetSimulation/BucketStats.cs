namespace WorkloadCredentials.FleetSimulation;

/// <summary>Peak, mean and 99th percentile of calls per bucket over a window of per-second counts.</summary>
internal readonly record struct BucketStats(int Peak, double Mean, int P99)
{
    public double PeakOverMean => Mean == 0 ? 0 : Peak / Mean;

    public static BucketStats Of(int[] perSecond, int fromSecond, int toSecond, int bucketSeconds)
    {
        int buckets = (toSecond - fromSecond) / bucketSeconds;
        var sums = new int[buckets];
        for (int b = 0; b < buckets; b++)
        {
            int start = fromSecond + (b * bucketSeconds);
            for (int s = start; s < start + bucketSeconds; s++)
            {
                sums[b] += perSecond[s];
            }
        }

        long total = 0;
        foreach (int sum in sums)
        {
            total += sum;
        }

        int[] sorted = (int[])sums.Clone();
        Array.Sort(sorted);
        int p99 = sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.99) - 1)];
        return new BucketStats(sorted[^1], (double)total / buckets, p99);
    }

    public static int Sum(int[] perSecond, int fromSecond, int toSecond)
    {
        int total = 0;
        for (int s = fromSecond; s < toSecond; s++)
        {
            total += perSecond[s];
        }

        return total;
    }
}
