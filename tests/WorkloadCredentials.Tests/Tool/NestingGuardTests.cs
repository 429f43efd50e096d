namespace WorkloadCredentials.Tests.Tool;

/// <summary>The tool does not loop into itself through a profile's credential_process (the loop marker first, the depth guard last).</summary>
public sealed class NestingGuardTests : IDisposable
{
    private readonly ToolRunner _tool = new();

    public void Dispose() => _tool.Dispose();

    [Fact]
    public async Task Run_NestedTooDeep_ExitsTwoWithReason()
    {
        _tool.Environment["AWS_ACCESS_KEY_ID"] = "AKIA1234EXAMPLEKEY99";
        _tool.Environment["AWS_SECRET_ACCESS_KEY"] = "secret";
        _tool.Environment["WORKLOAD_CREDENTIALS_TOOL_DEPTH"] = "3";

        ProcessResult result = await _tool.RunAsync("export");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(string.Empty, result.Output);
        Assert.StartsWith("workload-credentials: refusing to run: this is run 4 of workload-credentials nested in itself", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ShallowNesting_Allowed()
    {
        _tool.Environment["AWS_ACCESS_KEY_ID"] = "AKIA1234EXAMPLEKEY99";
        _tool.Environment["AWS_SECRET_ACCESS_KEY"] = "secret";
        _tool.Environment["WORKLOAD_CREDENTIALS_TOOL_DEPTH"] = "2";

        ProcessResult result = await _tool.RunAsync("export");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Describe_DefaultProfileRunsToolItself_SkipsTheProfileNamingTheLoopQuickly()
    {
        // The default profile's credential_process runs this tool, whose chain reaches the default profile again.
        _tool.WriteFile(".aws/config", $"[default]\ncredential_process = dotnet '{ToolRunner.ToolPath}' export --format process\n");
        var elapsed = System.Diagnostics.Stopwatch.StartNew();

        ProcessResult result = await _tool.RunAsync("describe");

        // The inner run sees the loop marker and skips the profile; nothing else is configured, so it exits 1 naming the loop, and the
        // outer run recognises that report: it skips the profile too, with the loop as the reason (not a bare exit code).
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(
            "Profile: credential_process of profile 'default' runs a program that resolves profile 'default' again",
            result.Error,
            StringComparison.Ordinal);
        Assert.Contains("(the program reported the loop and found no other credentials)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("exited with code", result.AllText, StringComparison.Ordinal);
        Assert.InRange(elapsed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }
}
