using System.Text.Json;

namespace WorkloadCredentials.Tests.Tool;

/// <summary><c>describe</c> as a real process: text and JSON, exit codes, and never a secret in stdout or stderr.</summary>
public sealed class DescribeCommandTests : IDisposable
{
    private const string KeyId = "AKIA1234EXAMPLEKEY99";
    private const string Secret = "SECRETvalue+DoNotPrint/9f8e7d6c5b4a";
    private const string Token = "TOKENvalue-DoNotPrint-IQoJb3JpZ2luX2VjE";

    private readonly ToolRunner _tool = new();

    public void Dispose() => _tool.Dispose();

    private void UseEnvironmentKeys(bool withToken = true)
    {
        _tool.Environment["AWS_ACCESS_KEY_ID"] = KeyId;
        _tool.Environment["AWS_SECRET_ACCESS_KEY"] = Secret;
        if (withToken)
        {
            _tool.Environment["AWS_SESSION_TOKEN"] = Token;
        }
    }

    private static void AssertNoSecret(ProcessResult result)
    {
        Assert.DoesNotContain(Secret, result.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, result.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyId, result.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("DoNotPrint", result.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_EnvironmentKeys_NamesSourceSkipsAndRedactedKey()
    {
        UseEnvironmentKeys();

        ProcessResult result = await _tool.RunAsync("describe");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.Error);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("Source:         Environment", lines);
        Assert.Contains("Access key id:  AKIA1234***", lines);
        Assert.Contains("Temporary:      yes (session token present)", lines);
        Assert.Contains("Account id:     unknown", lines);
        Assert.Contains("Role ARN:       none", lines);
        Assert.Contains("Expiration:     never", lines);
        Assert.Contains(lines, l => l.StartsWith("StaticKeys ", StringComparison.Ordinal) && l.Contains("skipped", StringComparison.Ordinal) && l.Contains("no explicit keys are configured", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Environment ", StringComparison.Ordinal) && l.EndsWith("chosen", StringComparison.Ordinal));
        AssertNoSecret(result);
    }

    [Fact]
    public async Task Describe_EnvironmentKeysJson_WritesDocumentedSchema()
    {
        UseEnvironmentKeys();
        _tool.Environment["AWS_ACCOUNT_ID"] = "111122223333";

        ProcessResult result = await _tool.RunAsync("describe", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement;
        Assert.Equal(
            ["schemaVersion", "resolved", "source", "accessKeyId", "temporary", "accountId", "roleArn", "expiration", "expiresInSeconds", "profile", "ignoredRoleSetting", "sources", "error", "externalId"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.True(root.GetProperty("resolved").GetBoolean());
        Assert.Equal("Environment", root.GetProperty("source").GetString());
        Assert.Equal("AKIA1234***", root.GetProperty("accessKeyId").GetString());
        Assert.True(root.GetProperty("temporary").GetBoolean());
        Assert.Equal("111122223333", root.GetProperty("accountId").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("roleArn").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("expiration").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("expiresInSeconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("profile").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("ignoredRoleSetting").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);

        JsonElement[] sources = root.GetProperty("sources").EnumerateArray().ToArray();
        Assert.Equal("StaticKeys", sources[0].GetProperty("name").GetString());
        Assert.Equal("unavailable", sources[0].GetProperty("status").GetString());
        Assert.StartsWith("StaticKeys: ", sources[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("Environment", sources[1].GetProperty("name").GetString());
        Assert.Equal("chosen", sources[1].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, sources[1].GetProperty("reason").ValueKind);
        Assert.All(sources.Skip(2), s => Assert.Equal("notTried", s.GetProperty("status").GetString()));
        AssertNoSecret(result);
    }

    [Fact]
    public async Task Describe_KeysAndWebIdentityRole_ReportsIgnoredRole()
    {
        UseEnvironmentKeys(withToken: false);
        _tool.Environment["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/irsa";

        ProcessResult result = await _tool.RunAsync("describe", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument document = JsonDocument.Parse(result.Output);
        Assert.Equal("Environment", document.RootElement.GetProperty("source").GetString());
        Assert.False(document.RootElement.GetProperty("temporary").GetBoolean());
        Assert.Equal("AWS_ROLE_ARN=arn:aws:iam::123456789012:role/irsa", document.RootElement.GetProperty("ignoredRoleSetting").GetString());
        AssertNoSecret(result);
    }

    [Fact]
    public async Task Describe_NothingConfigured_ExitsOneWithOneParagraphReason()
    {
        ProcessResult result = await _tool.RunAsync("describe", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        using JsonDocument document = JsonDocument.Parse(result.Output);
        JsonElement root = document.RootElement;
        Assert.False(root.GetProperty("resolved").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("source").ValueKind);
        Assert.Equal("noCredentials", root.GetProperty("error").GetProperty("kind").GetString());
        Assert.All(root.GetProperty("sources").EnumerateArray(), s => Assert.Equal("unavailable", s.GetProperty("status").GetString()));

        Assert.StartsWith("workload-credentials: No AWS credentials were found.", result.Error, StringComparison.Ordinal);
        Assert.Contains("- Environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set.", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n", result.Error.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_EnvironmentTokenWithoutKeys_ExitsTwoNamingSourceWithoutToken()
    {
        _tool.Environment["AWS_SESSION_TOKEN"] = Token;

        ProcessResult result = await _tool.RunAsync("describe");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Source:         none (Environment failed)", result.Output, StringComparison.Ordinal);
        Assert.Contains("FAILED", result.Output, StringComparison.Ordinal);
        Assert.Equal(
            "workload-credentials: Environment: AWS_SESSION_TOKEN is set, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not. Set all three, or unset AWS_SESSION_TOKEN.",
            result.Error.TrimEnd());
        AssertNoSecret(result);
    }

    [Fact]
    public async Task Describe_KeyIdWithoutSecret_ExitsTwoWithoutKeyMaterial()
    {
        _tool.Environment["AWS_ACCESS_KEY_ID"] = KeyId;

        ProcessResult result = await _tool.RunAsync("describe", "--json");

        Assert.True(result.ExitCode == 2, result.ToString());
        using JsonDocument document = JsonDocument.Parse(result.Output);
        JsonElement error = document.RootElement.GetProperty("error");
        Assert.Equal("sourceFailed", error.GetProperty("kind").GetString());
        Assert.Equal("Environment", error.GetProperty("source").GetString());
        Assert.Contains("AWS_SECRET_ACCESS_KEY is not set", result.Error, StringComparison.Ordinal);
        AssertNoSecret(result);
    }

    [Fact]
    public async Task Describe_NamedProfileMissing_ExitsTwoNamingProfile()
    {
        _tool.WriteFile(".aws/config", "[profile other]\nregion = eu-west-1\n");

        ProcessResult result = await _tool.RunAsync("--profile", "missing-profile", "describe");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("workload-credentials: Profile: profile 'missing-profile' (named by --profile) was not found in ", result.Error, StringComparison.Ordinal);
        Assert.Contains("or set --profile to an existing profile.", result.Error, StringComparison.Ordinal);
        Assert.Contains(result.Output.Split('\n'), l => l.TrimStart().StartsWith("Profile ", StringComparison.Ordinal) && l.Contains("FAILED", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_Verbose_WritesLibraryLogsToStderrWithoutSecrets()
    {
        UseEnvironmentKeys();

        ProcessResult result = await _tool.RunAsync("--verbose", "describe");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("info WorkloadCredentials.Chain.Internal.CredentialChain[1101]: AWS credentials resolved by source Environment (access key AKIA1234***)", result.Error, StringComparison.Ordinal);
        Assert.Contains("dbug WorkloadCredentials.Chain.Internal.CredentialChain[1102]: Credential source StaticKeys unavailable", result.Error, StringComparison.Ordinal);
        AssertNoSecret(result);
    }

    [Theory]
    [InlineData("no-such-command")]
    [InlineData("describe", "--no-such-option")]
    [InlineData("export", "--format", "xml")]
    [InlineData("--region", "Not A Region", "describe")]
    [InlineData("--profile", " ", "describe")]
    public async Task Run_UsageError_ExitsSixtyFourWithHint(params string[] args)
    {
        UseEnvironmentKeys();

        ProcessResult result = await _tool.RunAsync(args);

        Assert.True(result.ExitCode == 64, result.ToString());
        Assert.Equal(string.Empty, result.Output);
        Assert.StartsWith("workload-credentials: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("Run 'workload-credentials --help' for usage.", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        AssertNoSecret(result);
    }

    [Fact]
    public async Task Run_NoCommand_ExitsSixtyFour()
    {
        ProcessResult result = await _tool.RunAsync();

        Assert.True(result.ExitCode == 64, result.ToString());
        Assert.Contains("Required command was not provided.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Help_ExitsZeroListingCommands()
    {
        ProcessResult result = await _tool.RunAsync("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("describe", result.Output, StringComparison.Ordinal);
        Assert.Contains("export", result.Output, StringComparison.Ordinal);
        Assert.Contains("whoami", result.Output, StringComparison.Ordinal);
        Assert.Contains("--profile", result.Output, StringComparison.Ordinal);
        Assert.Contains("--region", result.Output, StringComparison.Ordinal);
    }
}
