using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

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
    [InlineData(null, new[] { "dev" })]
    [InlineData("", new[] { "dev" })]
    [InlineData("base", new[] { "base", "dev" })]
    [InlineData("dev\nbase", new[] { "base", "dev" })]
    [InlineData(" a \n\nb\na", new[] { "a", "b", "dev" })]
    public void ChildEnvironment_AddsTheProcessLast_Deduplicated(string? inherited, string[] expected)
    {
        CredentialProcessProfileStep step = Step("dev");
        // Inherited lines are written as the entries of steps named so ("dev" stands for the very step).
        string? marker = inherited?.Replace("dev", CredentialProcessLoop.Entry(step), StringComparison.Ordinal);
        var environment = new DictionaryEnvironment(marker is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [Variable] = marker });

        Dictionary<string, string> child = CredentialProcessLoop.ChildEnvironment(environment, step);

        string[] lines = Assert.Single(child, v => v.Key == Variable).Value.Split('\n');
        Assert.Equal(expected.Select(e => e == "dev" ? CredentialProcessLoop.Entry(step) : e), lines);
    }

    [Fact]
    public void Entry_ProfileNameTabAndFingerprint_NeverTheCommandLine()
    {
        CredentialProcessProfileStep step = Step("dev", command: "get-creds --token " + Secret);

        string entry = CredentialProcessLoop.Entry(step);

        Assert.Matches("^dev\t[0-9A-F]{32}$", entry);
        Assert.Empty(SecretRegistry.Find(entry));
        Assert.DoesNotContain("get-creds", entry, StringComparison.Ordinal);
    }

    [Fact]
    public void ChildEnvironment_DeepNesting_KeepsTheNewestProcesses()
    {
        string inherited = string.Join('\n', Enumerable.Range(0, 40).Select(i => "p" + i));
        CredentialProcessProfileStep step = Step("last");

        string child = CredentialProcessLoop.ChildEnvironment(new DictionaryEnvironment(new Dictionary<string, string> { [Variable] = inherited }), step)[Variable];

        string[] lines = child.Split('\n');
        Assert.Equal(CredentialProcessLoop.MaxProfiles, lines.Length);
        Assert.Equal(CredentialProcessLoop.Entry(step), lines[^1]);
        Assert.Equal("p39", lines[^2]);
    }

    [Theory]
    [InlineData("dev", " (/a/config line 2)", "x", true)]
    [InlineData("dev", " (/b/config line 2)", "x", false)] // a same-named profile in another AWS_CONFIG_FILE
    [InlineData("dev", " (/a/config line 7)", "x", false)]
    [InlineData("dev", " (/a/config line 2)", "y", false)] // another command line
    [InlineData("de", " (/a/config line 2)", "x", false)]
    [InlineData("devops", " (/a/config line 2)", "x", false)]
    public void IsRunningAbove_MatchesTheVerySettingOnly(string profile, string location, string command, bool expected)
    {
        string above = "base\t0123\n" + CredentialProcessLoop.Entry(Step("dev", " (/a/config line 2)", "x"));

        Assert.Equal(expected, CredentialProcessLoop.IsRunningAbove(new DictionaryEnvironment(new Dictionary<string, string> { [Variable] = above }), Step(profile, location, command)));
    }

    [Fact]
    public void IsRunningAbove_BareProfileName_NotTheSetting() =>
        Assert.False(CredentialProcessLoop.IsRunningAbove(new DictionaryEnvironment(new Dictionary<string, string> { [Variable] = "dev" }), Step("dev")));

    [Fact]
    public async Task GetCredentialsAsync_MarkerNamesTheProfile_UnavailableWithoutRunningTheProcess()
    {
        string ran = Path.Combine(Path.GetTempPath(), "wc-loop-" + Guid.NewGuid().ToString("N"));
        string command = $"touch '{ran}'";
        ProfileCredentialSource source = CreateSutWith($"[default]\ncredential_process = {command}\n", config => new() { [Variable] = Marker("default", config, 2, command) });

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
        ProfileCredentialSource source = CreateSutWith(
            "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\n[profile base]\ncredential_process = false\n",
            config => new() { ["AWS_PROFILE"] = "dev", [Variable] = "other\n" + Marker("base", config, 5, "false") });

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith("Profile: credential_process of profile 'base' runs a program that resolves profile 'base' again (", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Steps.AssumeRoles);
    }

    [Fact]
    public async Task GetCredentialsAsync_MarkerNamesAnotherProfile_RunsTheProcessWithTheProfileAdded()
    {
        // The process prints the marker it got (line breaks as X, tabs as Y) as its access key id.
        ProfileCredentialSource source = CreateSut(
            $$"""
                [default]
                credential_process = printf '{"Version": 1, "AccessKeyId": "AKID%s", "SecretAccessKey": "{{Secret}}"}' "$(printf '%s' "${{Variable}}" | tr '\n\t' 'XY')"
                """,
            new() { [Variable] = "other" });

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Matches("^AKIDotherXdefaultY[0-9A-F]{32}$", credentials.AccessKeyId);
    }

    [Fact]
    public async Task GetCredentialsAsync_SameProfileNameInAnotherConfigFileAbove_RunsTheProcess()
    {
        // A parent ran profile 'default' of another AWS_CONFIG_FILE with the same command line: this one is not that process.
        const string Command = "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIDNESTED\", \"SecretAccessKey\": \"" + Secret + "\"}'";
        ProfileCredentialSource source = CreateSutWith(
            "[default]\ncredential_process = " + Command + "\n",
            config => new() { [Variable] = Marker("default", Path.Combine(Path.GetDirectoryName(config)!, "other-config"), 2, Command) });

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("AKIDNESTED", credentials.AccessKeyId);
    }

    [Fact]
    public async Task GetCredentialsAsync_MarkerItsOwnProcessGot_StopsASourceOverTheSameFile()
    {
        // Round trip: the marker the source hands its process, given to a source over the same file, makes that source skip the profile.
        string markerFile = Path.Combine(Path.GetTempPath(), "wc-marker-" + Guid.NewGuid().ToString("N"));
        string config = $$"""
            [default]
            credential_process = sh -c 'printf "%s" "${{Variable}}" > {{markerFile}}; printf "{\"Version\": 1, \"AccessKeyId\": \"AKIDOUTER\", \"SecretAccessKey\": \"{{Secret}}\"}"'
            """;
        try
        {
            ProfileCredentialSource outer = CreateSut(config);
            Assert.Equal("AKIDOUTER", (await outer.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
            string marker = await File.ReadAllTextAsync(markerFile, TestContext.Current.CancellationToken);

            ProfileCredentialSource inner = CreateSut(_files[^1], new() { [Variable] = marker });

            var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(async () => await inner.GetCredentialsAsync(TestContext.Current.CancellationToken));
            Assert.Contains("runs a program that resolves profile 'default' again", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(markerFile);
        }
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

    private static CredentialProcessProfileStep Step(string profile, string location = " (/home/u/.aws/config line 2)", string command = "x") =>
        new(profile, location, command, accountId: null);

    private static string Marker(string profile, string configPath, int line, string command) =>
        CredentialProcessLoop.Entry(Step(profile, $" ({configPath} line {line})", command));

    private ProfileCredentialSource CreateSut(string config, Dictionary<string, string>? environment = null) =>
        CreateSutWith(config, _ => environment ?? []);

    private ProfileCredentialSource CreateSutWith(string config, Func<string, Dictionary<string, string>> environment)
    {
        var files = new ProfileFiles(config);
        _files.Add(files);
        return CreateSut(files, environment(files.ConfigPath));
    }

    private ProfileCredentialSource CreateSut(ProfileFiles files, Dictionary<string, string> environment)
    {
        var variables = new Dictionary<string, string>(environment) { ["HOME"] = files.Home };
        var context = new CredentialSourceContext(new WorkloadCredentialsOptions(), new DictionaryEnvironment(variables));
        return new ProfileCredentialSource(context, Steps, isWindows: false);
    }
}
