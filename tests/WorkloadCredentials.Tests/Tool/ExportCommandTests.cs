using System.Text.Json;

namespace WorkloadCredentials.Tests.Tool;

/// <summary><c>export</c> as a real process: the credential_process JSON and shell lines that a real shell evaluates back to the same values.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private const string KeyId = "AKIA1234EXAMPLEKEY99";

    // Every character a shell might interpret that a credential may hold ($, backquote, glob, operators; quotes, backslashes and
    // spaces are malformed credentials, refused by every source).
    private const string HostileSecret = "s3cr$HOME`id`$(id)*?[a];|&<>!x{y}~#=+/";
    private const string Token = "TOKENvalue-IQoJb3JpZ2luX2VjE+/=";

    private readonly ToolRunner _tool = new();

    public void Dispose() => _tool.Dispose();

    [Fact]
    public async Task Export_ProcessFormat_WritesCredentialProcessVersion1()
    {
        _tool.Environment["AWS_ACCESS_KEY_ID"] = KeyId;
        _tool.Environment["AWS_SECRET_ACCESS_KEY"] = HostileSecret;
        _tool.Environment["AWS_SESSION_TOKEN"] = Token;

        ProcessResult result = await _tool.RunAsync("export", "--format", "process");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.Error);
        using JsonDocument document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement;
        Assert.Equal(["Version", "AccessKeyId", "SecretAccessKey", "SessionToken"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(1, root.GetProperty("Version").GetInt32());
        Assert.Equal(KeyId, root.GetProperty("AccessKeyId").GetString());
        Assert.Equal(HostileSecret, root.GetProperty("SecretAccessKey").GetString());
        Assert.Equal(Token, root.GetProperty("SessionToken").GetString());
    }

    [Fact]
    public async Task Export_DefaultFormat_IsProcess()
    {
        _tool.Environment["AWS_ACCESS_KEY_ID"] = KeyId;
        _tool.Environment["AWS_SECRET_ACCESS_KEY"] = "plain";

        ProcessResult result = await _tool.RunAsync("export");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("""{"Version":1,"AccessKeyId":"AKIA1234EXAMPLEKEY99","SecretAccessKey":"plain"}""", result.Output.TrimEnd());
    }

    [Fact]
    public async Task Export_EnvFormat_ShellEvaluatesToSameValuesAndUnsetsStaleToken()
    {
        _tool.Environment["AWS_ACCESS_KEY_ID"] = KeyId;
        _tool.Environment["AWS_SECRET_ACCESS_KEY"] = HostileSecret;

        ProcessResult export = await _tool.RunAsync("export", "--format", "env");

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Equal(string.Empty, export.Error);
        Assert.Contains("unset AWS_SESSION_TOKEN", export.Output, StringComparison.Ordinal);

        // A shell that already holds a stale token and expiry evaluates the lines, then prints what it got, NUL-separated.
        string script = export.Output + "\nprintf '%s\\0%s\\0%s\\0%s' \"$AWS_ACCESS_KEY_ID\" \"$AWS_SECRET_ACCESS_KEY\" \"${AWS_SESSION_TOKEN-<unset>}\" \"${AWS_CREDENTIAL_EXPIRATION-<unset>}\"\n";
        Dictionary<string, string> shellEnvironment = ToolRunner.BaseEnvironment(_tool.Home);
        shellEnvironment["AWS_SESSION_TOKEN"] = "stale-token";
        shellEnvironment["AWS_CREDENTIAL_EXPIRATION"] = "2000-01-01T00:00:00Z";
        ProcessResult shell = await ToolRunner.RunProcessAsync("sh", ["-s"], shellEnvironment, standardInput: script, standardOutputHoldsCredentials: true);

        Assert.True(shell.ExitCode == 0, shell.ToString());
        Assert.Equal([KeyId, HostileSecret, "<unset>", "<unset>"], shell.Output.Split('\0'));
    }

    [Fact]
    public async Task Export_EnvFormatWithToken_ExportsToken()
    {
        _tool.Environment["AWS_ACCESS_KEY_ID"] = KeyId;
        _tool.Environment["AWS_SECRET_ACCESS_KEY"] = "plain";
        _tool.Environment["AWS_SESSION_TOKEN"] = Token;

        ProcessResult result = await _tool.RunAsync("export", "--format", "env");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            [
                "export AWS_ACCESS_KEY_ID='AKIA1234EXAMPLEKEY99'",
                "export AWS_SECRET_ACCESS_KEY='plain'",
                "export AWS_SESSION_TOKEN='TOKENvalue-IQoJb3JpZ2luX2VjE+/='",
                "unset AWS_CREDENTIAL_EXPIRATION",
            ],
            result.Output.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Export_NothingConfigured_ExitsOneWithEmptyStdout()
    {
        ProcessResult result = await _tool.RunAsync("export", "--format", "process");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(string.Empty, result.Output);
        Assert.StartsWith("workload-credentials: No AWS credentials were found.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_SourceFails_ExitsTwoWithoutSecretOnStderr()
    {
        _tool.Environment["AWS_SECRET_ACCESS_KEY"] = HostileSecret;

        ProcessResult result = await _tool.RunAsync("export", "--format", "env");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(string.Empty, result.Output);
        Assert.Contains("Environment: AWS_ACCESS_KEY_ID is not set", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr", result.Error, StringComparison.Ordinal);
    }
}
