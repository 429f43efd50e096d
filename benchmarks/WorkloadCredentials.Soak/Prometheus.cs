using System.Globalization;

namespace WorkloadCredentials.Soak;

/// <summary>Reads sums out of a Prometheus text scrape (the app's /metrics).</summary>
internal static class Prometheus
{
    /// <summary>Sums every series of <paramref name="metric"/>.</summary>
    public static double Sum(string scrape, string metric) => Series(scrape, metric).Sum(static s => s.Value);

    /// <summary>Sums the series of <paramref name="metric"/> by the value of one label.</summary>
    public static Dictionary<string, double> SumBy(string scrape, string metric, string label)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach ((string labels, double value) in Series(scrape, metric))
        {
            string key = "?";
            int at = labels.IndexOf(label + "=\"", StringComparison.Ordinal);
            if (at >= 0)
            {
                int start = at + label.Length + 2;
                key = labels[start..labels.IndexOf('"', start)];
            }

            sums[key] = sums.GetValueOrDefault(key) + value;
        }

        return sums;
    }

    private static IEnumerable<(string Labels, double Value)> Series(string scrape, string metric)
    {
        foreach (string line in scrape.Split('\n'))
        {
            if (!line.StartsWith(metric, StringComparison.Ordinal) || line.Length <= metric.Length || line[metric.Length] is not ('{' or ' '))
            {
                continue;
            }

            int close = line.LastIndexOf('}');
            string labels = close > 0 ? line[..close] : string.Empty;
            string[] rest = line[(close > 0 ? close + 1 : metric.Length)..].Trim().Split(' ');
            if (double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                yield return (labels, value);
            }
        }
    }
}
