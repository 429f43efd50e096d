using System.Globalization;

namespace WorkloadCredentials.Soak;

/// <summary>The command line: <c>--minutes N [--seed S] [--workers W] [--rate R] [--source sts|imds] [--lifetime-seconds L]</c>.</summary>
internal sealed class SoakOptions
{
    /// <summary>Credentials of the full soak live 15 minutes, as STS's shortest session.</summary>
    public static readonly TimeSpan FullLifetime = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Credentials of a short run (under 30 minutes) live 5 min 10 s. The library's advisory window for credentials of up to 20
    /// minutes is 5 minutes and its refresh point lies 0-2 minutes into it (jitter 0.5 of the window less the 1-minute mandatory
    /// window), so these are refreshed 10-130 s after they are issued (the first set between 31 s and that point): a 2-minute run
    /// sees refreshes, with the library's default settings and its normal (not the too-short-lived) path.
    /// </summary>
    public static readonly TimeSpan ShortLifetime = TimeSpan.FromSeconds(310);

    /// <summary>
    /// In a short run the first set (fetched at start-up) lives 70 s: shorter than its own 5-minute window, so the library refreshes
    /// it half-way, 35 s in, and since it is then within the fault-free tail (<see cref="FaultController.ProtectedTail"/>) that first
    /// refresh always succeeds: every 2-minute run swaps credentials under load at least once; the next refresh (10-130 s later)
    /// meets the fault schedule.
    /// </summary>
    public static readonly TimeSpan ShortFirstLifetime = TimeSpan.FromSeconds(70);

    public double Minutes { get; private init; } = 2;

    public int Seed { get; private init; } = 15;

    public int Workers { get; private init; } = 8;

    public double Rate { get; private init; } = 200;

    public bool Imds { get; private init; }

    public TimeSpan Lifetime { get; private init; }

    public TimeSpan FirstLifetime { get; private init; }

    public TimeSpan Duration => TimeSpan.FromMinutes(Minutes);

    public static SoakOptions Parse(string[] args)
    {
        double minutes = Number(args, "--minutes", 2);
        string source = Text(args, "--source", "sts");
        if (source is not ("sts" or "imds"))
        {
            throw new ArgumentException("--source is sts (web identity through STS) or imds (the instance profile).");
        }

        double lifetime = Number(args, "--lifetime-seconds", (minutes >= 30 ? FullLifetime : ShortLifetime).TotalSeconds);
        bool shortRun = minutes < 30 && !args.Contains("--lifetime-seconds");
        return new SoakOptions
        {
            Minutes = minutes > 0 ? minutes : throw new ArgumentException("--minutes must be positive."),
            Seed = (int)Number(args, "--seed", 15),
            Workers = Math.Max(1, (int)Number(args, "--workers", 8)),
            Rate = Math.Max(1, Number(args, "--rate", 200)),
            Imds = source == "imds",
            Lifetime = TimeSpan.FromSeconds(lifetime),
            FirstLifetime = shortRun ? ShortFirstLifetime : TimeSpan.FromSeconds(lifetime),
        };
    }

    private static string Text(string[] args, string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    private static double Number(string[] args, string name, double fallback) =>
        double.Parse(Text(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
