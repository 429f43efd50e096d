using WorkloadCredentials.Tests.Peer;

namespace WorkloadCredentials.Tests.Tool;

/// <summary>
/// <c>credential_process = workload-credentials export --format process</c> in the profile that <c>AWS_PROFILE</c> (or the default)
/// selects: the tool, started by botocore or the AWS CLI, runs itself again through that profile; the inner run sees the loop marker
/// (<c>WORKLOAD_CREDENTIALS_PROCESS_PROFILE</c>), skips the profile and resolves the rest of the chain (here the container endpoint of
/// the peer suite's fake), so the AWS client gets the workload's credentials. With nothing else configured, the error names the loop.
/// Real processes throughout: botocore (in Python), the AWS CLI and the built tool.
/// </summary>
public sealed class CredentialProcessLoopTests : IDisposable
{
    private const string ContainerToken = "loop-container-authorization-token";
    private const string RoleArn = "arn:aws:iam::123456789012:role/loop-dev";
    private static readonly string ToolCommand = $"dotnet '{ToolRunner.ToolPath.Replace("'", "'\\''", StringComparison.Ordinal)}' export --format process";

    private readonly ToolRunner _tool = new();

    public void Dispose() => _tool.Dispose();

    [Fact]
    public async Task Botocore_DefaultProfileRunsTheTool_GetsTheContainerCredentialsThroughIt()
    {
        await using PeerFakeServer fake = await PeerFakeServer.StartAsync(1, TestContext.Current.CancellationToken);
        Dictionary<string, string> environment = Environment(fake.Arm(0, PeerFaults.None), $"[default]\ncredential_process = {ToolCommand}\n");

        PeerResult result = await ResolveWithBotocoreAsync(environment, profile: null);

        Assert.Equal(PeerKeys.Container(ContainerToken), result.Credentials);
        Assert.Equal("custom-process", result.Detail);
        Assert.Single(fake.Requests(0), r => r == "GET " + PeerFakeServer.ContainerPath);
    }

    [Fact]
    public async Task Botocore_SourceProfileRunsTheTool_RoleOnTopOfTheContainerCredentials()
    {
        // AWS_PROFILE=dev reaches the tool too: its outer run resolves dev (the role over base's credential_process, which is the tool
        // again); the inner run skips the profile (base's process is running above it) and answers with the container credentials.
        // The outer run assumes dev with them, and botocore assumes dev once more with what it printed: base's credentials are the
        // credentials of role dev. That is the price of AWS_PROFILE reaching the tool; with `--profile` or AWS_PROFILE set in the
        // credential_process line the tool resolves another profile and the role is assumed once.
        await using PeerFakeServer fake = await PeerFakeServer.StartAsync(1, TestContext.Current.CancellationToken);
        Dictionary<string, string> environment = Environment(
            fake.Arm(0, PeerFaults.None),
            $"[profile dev]\nrole_arn = {RoleArn}\nsource_profile = base\n[profile base]\ncredential_process = {ToolCommand}\n");
        environment["AWS_PROFILE"] = "dev";

        PeerResult result = await ResolveWithBotocoreAsync(environment, profile: null);

        PeerCredentials outer = PeerKeys.AssumeRole(RoleArn, PeerKeys.Container(ContainerToken));
        Assert.Equal(PeerKeys.AssumeRole(RoleArn, outer), result.Credentials);
        Assert.Equal("assume-role", result.Detail);
    }

    [Fact]
    public async Task Tool_DefaultProfileRunsTheToolItself_ExportsTheContainerCredentials()
    {
        await using PeerFakeServer fake = await PeerFakeServer.StartAsync(1, TestContext.Current.CancellationToken);
        foreach ((string name, string value) in Environment(fake.Arm(0, PeerFaults.None), $"[default]\ncredential_process = {ToolCommand}\n"))
        {
            _tool.Environment[name] = value;
        }

        ProcessResult result = await _tool.RunAsync("export", "--format", "env");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"export AWS_ACCESS_KEY_ID='{PeerKeys.Container(ContainerToken).AccessKeyId}'", result.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task AwsCli_LoopAndNothingElse_ErrorNamesTheLoopAndTheFix()
    {
        string config = _tool.WriteFile("aws/config", $"[default]\nregion = us-east-1\ncredential_process = {ToolCommand}\n");
        Dictionary<string, string> environment = ToolRunner.BaseEnvironment(_tool.Home);
        environment["AWS_CONFIG_FILE"] = config;
        environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_tool.Home, "aws", "no-credentials");
        if (System.Environment.GetEnvironmentVariable("PYENV_ROOT") is { } pyenvRoot)
        {
            environment["PYENV_ROOT"] = pyenvRoot; // the `aws` on PATH may be a pyenv shim
        }

        ProcessResult result = await ToolRunner.RunProcessAsync("aws", ["sts", "get-caller-identity", "--endpoint-url", "http://127.0.0.1:9/"], environment);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("credential_process of profile 'default' runs a program that resolves profile 'default' again", result.Error, StringComparison.Ordinal);
        Assert.Contains("configure one of those sources", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("exited with code", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("refusing to run", result.Error, StringComparison.Ordinal);
    }

    private Dictionary<string, string> Environment(string endpoint, string config)
    {
        Dictionary<string, string> environment = ToolRunner.BaseEnvironment(_tool.Home);
        environment["AWS_CONFIG_FILE"] = _tool.WriteFile("aws/config", config);
        environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_tool.Home, "aws", "no-credentials");
        environment["AWS_REGION"] = "us-east-1";
        environment["AWS_DEFAULT_REGION"] = "us-east-1";
        environment["AWS_ENDPOINT_URL_STS"] = endpoint;
        environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = endpoint + PeerFakeServer.ContainerPath;
        environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = ContainerToken;
        return environment;
    }

    private static async Task<PeerResult> ResolveWithBotocoreAsync(Dictionary<string, string> environment, string? profile)
    {
        (_, IReadOnlyDictionary<string, PeerResult> results) = await BotocorePeer.ResolveAsync(
            [("loop", environment, profile)], parallelism: 1, TestContext.Current.CancellationToken);
        PeerResult result = results["loop"];
        Assert.False(result.Fails, result.ToString());
        return result;
    }
}
