using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Conformance.Scenarios;

/// <summary>
/// The smithy-rs <c>profile-provider/</c> scenarios (all 18, the four SSO ones included) replayed through our shared-profile
/// source alone, wired as the default chain wires it (smithy-rs runs this suite against its profile provider, so environment keys
/// such as those of <c>e2e_assume_role</c> must not win). Same replay rules as <see cref="DefaultChainScenarioTests"/>.
/// </summary>
public sealed class ProfileProviderScenarioTests
{
    public static TheoryData<string> Scenarios() => SmithyScenario.Rows(SmithyScenario.ProfileProviderSuite);

    [Fact]
    public void Scenarios_InScope_AreAllEighteen_TheFourSsoOnesIncluded()
    {
        IReadOnlyList<string> names = SmithyScenario.InScopeNames(ConformanceData.Path(SmithyScenario.DataFolder, SmithyScenario.ProfileProviderSuite));
        Assert.Equal(18, names.Count);
        Assert.Equal(["invalid_sso_credentials_config", "sso_credentials", "sso_override_global_env_url", "sso_token"], names.Where(SmithyScenario.IsSso));
        Assert.Equal(18, Directory.GetDirectories(ConformanceData.Path(SmithyScenario.DataFolder, SmithyScenario.ProfileProviderSuite)).Length);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public Task GetCredentialsAsync_ProfileProviderScenario_MatchesRecording(string scenario) =>
        ScenarioRunner.RunAndJudgeAsync(SmithyScenario.ProfileProviderSuite, scenario, ScenarioTarget.ProfileSource);
}
