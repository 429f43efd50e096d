using System.Globalization;
using System.Text;

namespace WorkloadCredentials.Tests.Simulation;

/// <summary>What one simulated week observed.</summary>
internal sealed record WeekResult(
    int Seed,
    WeekShape Shape,
    WeekFaultPlan Plan,
    long Calls,
    long Failed,
    long ExpiredServed,
    TimeSpan MaxExpiredWhileHealthy,
    TimeSpan MaxPastTrueExpiry,
    TimeSpan MaxWait,
    long Waited,
    int StsCalls,
    int ImdsCalls,
    int SignedWithExpiredKeys,
    int OffThread,
    int FaultyAnswers,
    int Rejected,
    WeekBudget Budget,
    IReadOnlyList<string> Violations,
    IReadOnlyList<string> Trace,
    TimeSpan? FirstViolationAt)
{
    /// <summary>Gets the calls to the shape's service (STS or IMDS).</summary>
    public int ServiceCalls => Shape == WeekShape.WebIdentityThenAssumeRole ? StsCalls : ImdsCalls;

    /// <summary>One line of figures.</summary>
    public string Summary => string.Create(
        CultureInfo.InvariantCulture,
        $"seed {Seed} {Shape}: {Calls} calls, {Failed} failed, {ExpiredServed} served expired, max expired while healthy {MaxExpiredWhileHealthy.TotalSeconds:F0} s (allowance {WeekSimulation.RetryAllowance.TotalSeconds:F0} s; longest past the true expiry, outages and slow clocks included, {MaxPastTrueExpiry.TotalSeconds:F0} s), max wait {MaxWait.TotalSeconds:F1} s over {Waited} waits, {(Shape == WeekShape.WebIdentityThenAssumeRole ? "STS" : "IMDS")} calls {ServiceCalls} (budget {Budget.Calls}), {FaultyAnswers} faulty answers, AssumeRole signed with expired keys {SignedWithExpiredKeys}, rejected {Rejected}, off-thread {OffThread}");

    /// <summary>Everything a failing seed needs to explain itself: the figures, the violations, the plan and the end of the trace.</summary>
    public string Explain()
    {
        var text = new StringBuilder();
        text.AppendLine(Summary).AppendLine(Budget.Derivation);
        foreach (string violation in Violations)
        {
            text.Append("VIOLATION ").AppendLine(violation);
        }

        if (Trace.FirstOrDefault(static l => l.Contains(" OFF THREAD ", StringComparison.Ordinal)) is { } offThread)
        {
            text.AppendLine(offThread);
        }

        text.Append(Plan);
        double around = FirstViolationAt is { } at ? at.TotalSeconds : double.MaxValue;
        IEnumerable<string> lines = FirstViolationAt is null
            ? Trace.Skip(Math.Max(0, Trace.Count - 60))
            : Trace.Where(l => double.Parse(l.AsSpan(0, l.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture) is var t && t >= around - 900 && t <= around + 10).Take(200);
        text.AppendLine(FirstViolationAt is null ? "last 60 trace lines (seconds since the start):" : "trace from 900 s before the first violation (seconds since the start):");
        foreach (string line in lines)
        {
            text.Append("  ").AppendLine(line);
        }

        return text.ToString();
    }
}
