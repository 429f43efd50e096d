using System.Diagnostics;

namespace WorkloadCredentials.Tests.Lifetime;

/// <summary>What a leak leaves behind in this process: active timers, threads, and open sockets (Linux: <c>/proc/self/fd</c>).</summary>
internal readonly record struct ProcessResources(long Timers, int Threads, int Sockets)
{
    /// <summary>The cycles the lifetime counts run: 2,000 in CI; set WORKLOADCREDENTIALS_LIFETIME_CYCLES=10000 for the full count.</summary>
    public static int Cycles =>
        int.TryParse(Environment.GetEnvironmentVariable("WORKLOADCREDENTIALS_LIFETIME_CYCLES"), out int cycles) && cycles > 0 ? cycles : 2_000;

    public static ProcessResources Now()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessResources(Timer.ActiveCount, process.Threads.Count, CountSockets());
    }

    /// <summary>Waits (up to 10 s) for closed connections to be reaped, then returns the counts, with or without a full garbage collection first.</summary>
    public static async Task<ProcessResources> SettledAsync(ProcessResources start, bool collect)
    {
        ProcessResources now = Now();
        for (int i = 0; i < 50 && (now.Timers > start.Timers || now.Sockets > start.Sockets); i++)
        {
            if (collect)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
            now = Now();
        }

        return now;
    }

    public override string ToString() => $"timers={Timers} threads={Threads} sockets={Sockets}";

    private static int CountSockets()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        int sockets = 0;
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true)
                {
                    sockets++;
                }
            }
            catch (IOException)
            {
                // The descriptor closed while it was listed.
            }
        }

        return sockets;
    }
}
