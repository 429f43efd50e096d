namespace WorkloadCredentials.Tests.Conformance.Scenarios;

/// <summary>
/// Per scenario: how the Rust error text maps to our error category and a key phrase of our message, how many unrecorded
/// extended-API requests the IMDS source makes, and where we deliberately differ from smithy-rs (with the reason).
/// A scenario that expects credentials and has no entry must produce exactly the recorded ones.
/// </summary>
internal static class ScenarioExpectations
{
    private static readonly Dictionary<string, ScenarioExpectation> Entries = new(StringComparer.Ordinal)
    {
    };

    public static ScenarioExpectation For(SmithyScenario scenario)
    {
        if (Entries.TryGetValue(scenario.Id, out ScenarioExpectation? entry))
        {
            return entry.Credentials is null && entry.Category == ErrorCategory.None && scenario.Expected is not null
                ? entry with { Credentials = scenario.Expected }
                : entry;
        }

        return new ScenarioExpectation { Credentials = scenario.Expected };
    }
}
