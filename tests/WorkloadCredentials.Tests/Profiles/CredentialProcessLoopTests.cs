using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;

namespace WorkloadCredentials.Tests.Profiles;

/// <summary>
/// The loop marker of <c>credential_process</c> (<see cref="CredentialProcessLoop"/>): every process the profile source runs gets the
/// profiles whose process runs above it; a process that is about to run the same profile's process again skips the profile instead.
/// </summary>
public sealed class CredentialProcessLoopTests : IDisposable
{
    private const string Secret = "loopTestSecretKey0123456789abcdefghijklmn";
    private const string Variable = CredentialProcessLoop.Variable;
    private readonly List<ProfileFiles> _files = [];

    private FakeProfileStepFactory Steps { get; } = new();

    public void Dispose()
    {
        foreach (ProfileFiles files in _files)
        {
            files.Dispose();
        }
    }

    [Theory]
    [InlineData(null, "dev", "dev")]
    [InlineData("", "dev", "dev")]
    [InlineData("base", "dev", "base\ndev")]
    [InlineData("dev\nbase", "dev", "base\ndev")]
    [InlineData(" a \n\nb\na", "c", "a\nb\nc")]
    public void ChildEnvironment_AddsTheProfileLast_Deduplicated(string? inherited, string profile, string expected)
    {
        var environment = new DictionaryEnvironment(inherited is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [Variable] = inherited });

        Dictionary<string, string> child = CredentialProcessLoop.ChildEnvironment(environment, profile);

        Assert.Equal(expected, Assert.Single(child, v => v.Key == Variable).Value);
    }

    [Fact]
    public void ChildEnvironment_DeepNesting_KeepsTheNewestProfiles()
    {
        string inherited = string.Join('\n', Enumerable.Range(0, 40).Select(i => "p" + i));

        string child = CredentialProcessLoop.ChildEnvironment(new DictionaryEnvironment(new Dictionary<string, string> { [Variable] = inherited }), "last")[Variable];

        string[] profiles = child.Split('\n');
        Assert.Equal(CredentialProcessLoop.MaxProfiles, profiles.Length);
        Assert.Equal("last", profiles[^1]);
        Assert.Equal("p39", profiles[^2]);
    }

    [Theory]
    [InlineData("dev", "dev", true)]
    [InlineData("base\ndev", "base", true)]
    [InlineData("base\ndev", "de", false)]
    [InlineData("devops", "dev", false)]
    [InlineData("", "dev", false)]
    public void IsRunningAbove_MatchesWholeNamesOnly(string inherited, string profile, bool expected) =>
        Assert.Equal(expected, CredentialProcessLoop.IsRunningAbove(new DictionaryEnvironment(new Dictionary<string, string> { [Variable] = inherited }), profile));

    [Fact]
    public async Task GetCredentialsAsync_MarkerNamesTheProfile_UnavailableWithoutRunningTheProcess()
    {
        string ran = Path.Combine(Path.GetTempPath(), "wc-loop-" + Guid.NewGuid().ToString("N"));
        ProfileCredentialSource source = CreateSut($"[default]\ncredential_process = touch '{ran}'\n", new() { [Variable] = "default" });

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            $"Profile: credential_process of profile 'default' runs a program that resolves profile 'default' again ({_files[^1].ConfigPath} line 2) " +
            $"({Variable} shows that this process runs under that very credential_process), so the profile is skipped here and the rest of the chain is tried " +
            "(environment keys, web identity, container, instance metadata). To give the workload's own credentials to the AWS CLI or an SDK through " +
            "this credential_process, configure one of those sources; or let the program resolve another profile (--profile, or AWS_PROFILE set in the credential_process line).",
            ex.Message);
        Assert.Equal("Profile", ex.SourceName);
        Assert.False(File.Exists(ran));
    }

    [Fact]
    public async Task GetCredentialsAsync_SourceProfileProcessInMarker_WholeProfileUnavailableNoRoleAssumed()
    {
        ProfileCredentialSource source = CreateSut(
            "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\n[profile base]\ncredential_process = false\n",
            new() { ["AWS_PROFILE"] = "dev", [Variable] = "other\nbase" });

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith("Profile: credential_process of profile 'base' runs a program that resolves profile 'base' again (", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Steps.AssumeRoles);
    }

    [Fact]
    public async Task GetCredentialsAsync_MarkerNamesAnotherProfile_RunsTheProcessWithTheProfileAdded()
    {
        // The process prints the marker it got (line breaks as X) as its access key id.
        ProfileCredentialSource source = CreateSut(
            $$"""
                [default]
                credential_process = printf '{"Version": 1, "AccessKeyId": "AKID%s", "SecretAccessKey": "{{Secret}}"}' "$(printf '%s' "${{Variable}}" | tr '\n' 'X')"
                """,
            new() { [Variable] = "other" });

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("AKIDotherXdefault", credentials.AccessKeyId);
    }

    [Fact]
    public async Task GetCredentialsAsync_ProcessReportsTheLoopOfItsProfile_UnavailableNamingTheLoop()
    {
        ProfileCredentialSource source = CreateSut(
            "[default]\ncredential_process = echo \"No AWS credentials. Profile: credential_process of profile 'default' runs a program that resolves profile 'default' again (x)\" >&2; exit 1\n");

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith(
            $"Profile: credential_process of profile 'default' runs a program that resolves profile 'default' again ({_files[^1].ConfigPath} line 2) (the program reported the loop and found no other credentials), so the profile is skipped here",
            ex.Message,
            StringComparison.Ordinal);
        Assert.DoesNotContain("(x)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_ProcessReportsTheLoopOfAnotherProfile_StillAFailureWithTheExitCode()
    {
        ProfileCredentialSource source = CreateSut(
            "[default]\ncredential_process = echo \"credential_process of profile 'other' runs a program that resolves profile 'other' again\" >&2; exit 1\n");

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Contains("the external process exited with code 1; its standard error is not shown", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ProfileErrorKind.CredentialProcessFailed, ex.Kind);
    }

    private ProfileCredentialSource CreateSut(string config, Dictionary<string, string>? environment = null)
    {
        var files = new ProfileFiles(config);
        _files.Add(files);
        var variables = new Dictionary<string, string>(environment ?? []) { ["HOME"] = files.Home };
        var context = new CredentialSourceContext(new WorkloadCredentialsOptions(), new DictionaryEnvironment(variables));
        return new ProfileCredentialSource(context, Steps, isWindows: false);
    }
}
