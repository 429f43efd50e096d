using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Conformance.Scenarios;

/// <summary>
/// The smithy-rs <c>default-credential-provider-chain/</c> scenarios (all 29, the four SSO ones included) replayed through
/// our whole default chain behind the refresh cache: recorded traffic served strictly in order by <see cref="ScenarioReplayHandler"/>,
/// a clock that stands still at the recording's time, and each result compared field by field
/// (see <see cref="ScenarioExpectations"/> for the error mapping and the deliberate differences).
/// </summary>
public sealed class DefaultChainScenarioTests
{
    public static TheoryData<string> Scenarios() => SmithyScenario.Rows(SmithyScenario.DefaultChainSuite);

    [Fact]
    public void Scenarios_InScope_AreAllTwentyNine_TheFourSsoOnesIncluded()
    {
        IReadOnlyList<string> names = SmithyScenario.InScopeNames(ConformanceData.Path(SmithyScenario.DataFolder, SmithyScenario.DefaultChainSuite));
        Assert.Equal(29, names.Count);
        Assert.Equal(["e2e_fips_and_dual_stack_sso", "sso_assume_role", "sso_no_token_file", "sso_server_error"], names.Where(SmithyScenario.IsSso));
        Assert.Equal(29, Directory.GetDirectories(ConformanceData.Path(SmithyScenario.DataFolder, SmithyScenario.DefaultChainSuite)).Length);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public Task GetCredentialsAsync_DefaultChainScenario_MatchesRecording(string scenario) =>
        ScenarioRunner.RunAndJudgeAsync(SmithyScenario.DefaultChainSuite, scenario, ScenarioTarget.DefaultChain);
}
