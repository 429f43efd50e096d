using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Conformance.Scenarios;

/// <summary>
/// The smithy-rs <c>default-credential-provider-chain/</c> scenarios (25 in scope; the SSO ones are out of scope) replayed through
/// our whole default chain behind the refresh cache: recorded traffic served strictly in order by <see cref="ScenarioReplayHandler"/>,
/// a clock that stands still at the recording's time, and each result compared field by field
/// (see <see cref="ScenarioExpectations"/> for the error mapping and the deliberate differences).
/// </summary>
public sealed class DefaultChainScenarioTests
{
    public static TheoryData<string> Scenarios() => SmithyScenario.Rows(SmithyScenario.DefaultChainSuite);

    [Fact]
    public void Scenarios_InScope_AreTheTwentyFiveNonSsoOnes()
    {
        IReadOnlyList<string> names = SmithyScenario.InScopeNames(ConformanceData.Path(SmithyScenario.DataFolder, SmithyScenario.DefaultChainSuite));
        Assert.Equal(25, names.Count);
        Assert.Equal(29, Directory.GetDirectories(ConformanceData.Path(SmithyScenario.DataFolder, SmithyScenario.DefaultChainSuite)).Length);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public Task GetCredentialsAsync_DefaultChainScenario_MatchesRecording(string scenario) =>
        ScenarioRunner.RunAndJudgeAsync(SmithyScenario.DefaultChainSuite, scenario, ScenarioTarget.DefaultChain);
}
