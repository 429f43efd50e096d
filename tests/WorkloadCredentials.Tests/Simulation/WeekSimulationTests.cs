using System.Globalization;

namespace WorkloadCredentials.Tests.Simulation;

/// <summary>
/// A simulated week per seed and shape (see <see cref="WeekSimulation"/> and docs/simulation.md). The seeds come from
/// <c>WORKLOAD_CREDENTIALS_WEEK_SEEDS</c> ("1-3" by default, as in CI; "1-200" for the documented long run; "7" or "1,5,9" to replay).
/// </summary>
public sealed class WeekSimulationTests
{
    public const string SeedsVariable = "WORKLOAD_CREDENTIALS_WEEK_SEEDS";

    /// <summary>A folder to write each week's plan, figures and full trace to (<c>week-{seed}-{shape}.txt</c>), to study a seed.</summary>
    public const string TraceVariable = "WORKLOAD_CREDENTIALS_WEEK_TRACE";

    /// <summary>A file each week appends its one-line summary to (the figures of a long run).</summary>
    public const string SummaryVariable = "WORKLOAD_CREDENTIALS_WEEK_SUMMARY";

    private static readonly Lock SummaryLock = new();

    public static TheoryData<int, string> SeedsAndShapes()
    {
        var data = new TheoryData<int, string>();
        foreach (int seed in Seeds(Environment.GetEnvironmentVariable(SeedsVariable)))
        {
            data.Add(seed, nameof(WeekShape.WebIdentityThenAssumeRole));
            data.Add(seed, nameof(WeekShape.InstanceProfile));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SeedsAndShapes))]
    public void Week_ServesThroughEveryFault_WithinTheRetrySchedule(int seed, string shape)
    {
        WeekResult result = WeekSimulation.Run(seed, Enum.Parse<WeekShape>(shape));
        if (Environment.GetEnvironmentVariable(TraceVariable) is { Length: > 0 } folder)
        {
            File.WriteAllText(
                Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"week-{seed}-{shape}.txt")),
                result.Explain() + string.Join('\n', result.Trace));
        }

        if (Environment.GetEnvironmentVariable(SummaryVariable) is { Length: > 0 } summaryFile)
        {
            lock (SummaryLock)
            {
                File.AppendAllText(summaryFile, result.Summary + (result.Violations.Count == 0 ? string.Empty : " VIOLATIONS " + result.Violations.Count) + "\n");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(result.Summary);
        TestContext.Current.TestOutputHelper?.WriteLine(result.Budget.Derivation);

        Assert.True(result.Violations.Count == 0, result.Explain());
        Assert.True(result.ServiceCalls <= result.Budget.Calls, "over budget\n" + result.Explain());
        Assert.True(result.MaxWait <= WeekSimulation.WaitBound, result.Explain());
        Assert.True(result.MaxExpiredWhileHealthy <= WeekSimulation.RetryAllowance, result.Explain());
        Assert.Equal(0, result.Rejected);
        Assert.True(result.OffThread == 0, result.Explain());

        // The run did what it says: a week of calls, and the faults reached the chain.
        Assert.True(result.Calls > 7 * 24 * 720 * 60, result.Summary);
        Assert.True(result.FaultyAnswers > 0, "no fault reached the chain\n" + result.Explain());
    }

    [Theory]
    [InlineData(2, nameof(WeekShape.WebIdentityThenAssumeRole))]
    [InlineData(2, nameof(WeekShape.InstanceProfile))]
    public void SameSeed_ReplaysExactly(int seed, string shape)
    {
        WeekResult first = WeekSimulation.Run(seed, Enum.Parse<WeekShape>(shape));
        WeekResult second = WeekSimulation.Run(seed, Enum.Parse<WeekShape>(shape));

        Assert.Equal(first.Summary, second.Summary);
        Assert.Equal(first.Trace.Count, second.Trace.Count);
        for (int i = 0; i < first.Trace.Count; i++)
        {
            Assert.True(first.Trace[i] == second.Trace[i], $"line {i} differs:\n  {first.Trace[i]}\n  {second.Trace[i]}");
        }

        Assert.True(first.FaultyAnswers > 20 && first.Waited > 100, first.Summary);
    }

    [Fact]
    public void Plan_IsDrawnFromTheSeed_AndPrintable()
    {
        string plan = WeekFaultPlan.Create(5).ToString();

        Assert.Equal(plan, WeekFaultPlan.Create(5).ToString());
        Assert.NotEqual(plan, WeekFaultPlan.Create(6).ToString());
        foreach (FaultKind kind in Enum.GetValues<FaultKind>())
        {
            Assert.Contains(kind.ToString(), plan, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, new[] { 1, 2, 3 })]
    [InlineData("7", new[] { 7 })]
    [InlineData("1-4", new[] { 1, 2, 3, 4 })]
    [InlineData("2, 9-10", new[] { 2, 9, 10 })]
    public void Seeds_ParseRangesAndLists(string? text, int[] expected) => Assert.Equal(expected, Seeds(text));

    internal static IReadOnlyList<int> Seeds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            text = "1-3";
        }

        var seeds = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] range = part.Split('-', 2, StringSplitOptions.TrimEntries);
            int from = int.Parse(range[0], CultureInfo.InvariantCulture);
            int to = range.Length == 2 ? int.Parse(range[1], CultureInfo.InvariantCulture) : from;
            for (int seed = from; seed <= to; seed++)
            {
                seeds.Add(seed);
            }
        }

        return seeds;
    }
}
