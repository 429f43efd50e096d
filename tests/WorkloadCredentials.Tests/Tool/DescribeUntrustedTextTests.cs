using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.Tool;

/// <summary>
/// The tool as a real process with hostile inputs: a <c>credential_process</c> that writes ANSI escapes and keys to stderr, an access
/// key with terminal control characters, an STS error that echoes the External ID, credentials that expired in 2001. Neither
/// <c>describe</c> (text, <c>--json</c>, <c>--verbose</c>) nor stderr ever carries them.
/// </summary>
public sealed class DescribeUntrustedTextTests : IDisposable
{
    private const string KeyId = "AKIAHOSTILEEXAMPLE01";

    // No "secret", "token" or "AccessKey" in it: the old keyword filter let such a line through.
    private const string StderrSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzHOSTILE";
    private const string ExternalId = "ext-cli-4711-DoNotPrint";
    private const string RoleArn = "arn:aws:iam::123456789012:role/customer-role";

    private static readonly string[][] DescribeVariants = [["describe"], ["describe", "--json"], ["--verbose", "describe"], ["--verbose", "describe", "--json"]];

    private readonly ToolRunner _tool = new();

    public DescribeUntrustedTextTests()
    {
        _tool.Environment["AWS_REGION"] = "eu-west-1";
    }

    public void Dispose() => _tool.Dispose();

    [Fact]
    public async Task Describe_CredentialProcessFailsWritingAnsiAndKeysToStderr_NothingOfItPrinted()
    {
        _tool.WriteFile(
            ".aws/config",
            $"[default]\ncredential_process = printf '\\033[2J\\033[HCredentials OK {KeyId} {StderrSecret}\\n' >&2; exit 4\n");

        foreach (string[] args in DescribeVariants)
        {
            ProcessResult result = await _tool.RunAsync(args);

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("failed: the external process exited with code 4; its standard error is not shown (it may hold credentials)", result.Error, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(_tool.Home, ".aws", "config") + " line 2", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', result.AllText);
            if (!args.Contains("--verbose"))
            {
                // With --verbose only, a Debug record shows the start of stderr: escaped, key-like runs masked (asserted above and below).
                Assert.DoesNotContain("Credentials OK", result.AllText, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(KeyId, result.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain(StderrSecret[..12], result.AllText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Describe_AccessKeyIdWithControlCharacters_EscapedEverywhere()
    {
        _tool.WriteFile(".aws/credentials", "[default]\naws_access_key_id = AK\u001b[2J\u009bHX\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");

        foreach (string[] args in DescribeVariants)
        {
            ProcessResult result = await _tool.RunAsync(args);

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("aws_access_key_id is malformed: the access key id holds a control character", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', result.AllText);
            Assert.DoesNotContain('\u009b', result.AllText);
            Assert.DoesNotContain("wJalrXUtnFEMI", result.AllText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Describe_StsErrorEchoesExternalId_NeverPrinted()
    {
        await using StsFaultServer sts = await StsFaultServer.StartAsync(request => StsReply.Error(
            403, "AccessDenied", $"User arn:aws:iam::123456789012:user/cluster is not authorized to perform sts:AssumeRole with ExternalId={request.Form.GetValueOrDefault("ExternalId")}"));
        UseRoleChainWithExternalId(sts.Endpoint);

        foreach (string[] args in DescribeVariants)
        {
            ProcessResult result = await _tool.RunAsync(["--profile", "customer", .. args]);

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("AccessDenied", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(ExternalId, result.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain(ExternalId[..12], result.AllText, StringComparison.Ordinal);
        }

        Assert.Equal(ExternalId, sts.Requests[0].Form["ExternalId"]);
    }

    [Fact]
    public async Task Describe_RoleWithExternalId_SaysConfiguredAndWhereNeverTheValue()
    {
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Ok(
            StsXml.AssumeRole("ASIAISSUED1234567890", "ISSUEDsecretEXAMPLEabcdef0123456789", "ISSUEDtokenEXAMPLEFwoGZXIvYXdzEJr", DateTimeOffset.UtcNow.AddHours(1), "arn:aws:sts::123456789012:assumed-role/customer-role/mgmt")));
        UseRoleChainWithExternalId(sts.Endpoint);

        ProcessResult text = await _tool.RunAsync("--profile", "customer", "describe");
        ProcessResult json = await _tool.RunAsync("--profile", "customer", "describe", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("External ID:    configured (external_id of profile 'customer')", text.Output.Split('\n').Select(l => l.TrimEnd()));
        Assert.True(json.ExitCode == 0, json.ToString());
        using JsonDocument document = JsonDocument.Parse(json.Output);
        Assert.Equal("configured (external_id of profile 'customer')", document.RootElement.GetProperty("externalId").GetString());
        Assert.DoesNotContain(ExternalId[..12], text.AllText + json.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeAndExport_CredentialProcessPrintsExpiredCredentials_ExitTwoNamingSource()
    {
        string json = "{\"Version\": 1, \"AccessKeyId\": \"ASIAEXPIRED000000001\", \"SecretAccessKey\": \"expiredSecretEXAMPLEwJalrXUtnFEMI\", \"SessionToken\": \"expiredTokenEXAMPLE\", \"Expiration\": \"2001-01-01T00:00:00Z\"}";
        _tool.WriteFile(".aws/config", $"[default]\ncredential_process = echo {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json))} | base64 --decode\n");

        ProcessResult describe = await _tool.RunAsync("describe", "--json");
        ProcessResult export = await _tool.RunAsync("export");
        ProcessResult exportEnv = await _tool.RunAsync("export", "--format", "env");

        foreach (ProcessResult result in new[] { describe, export, exportEnv })
        {
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.StartsWith("workload-credentials: Profile: ", result.Error, StringComparison.Ordinal);
            Assert.Contains("2001-01-01T00:00:00Z", result.Error, StringComparison.Ordinal);
            Assert.Contains("expired", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("expiredSecret", result.AllText, StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, export.Output);
        Assert.Equal(string.Empty, exportEnv.Output);
        using JsonDocument document = JsonDocument.Parse(describe.Output);
        Assert.False(document.RootElement.GetProperty("resolved").GetBoolean());
        Assert.Equal("Profile", document.RootElement.GetProperty("error").GetProperty("source").GetString());
    }

    [Fact]
    public async Task DescribeAndExport_ContainerAnswersExpiredCredentials_ExitTwoNamingSource()
    {
        await using LoopbackHttpServer container = await LoopbackHttpServer.StartAsync(http => http.Response.WriteAsync(
            "{\"AccessKeyId\": \"ASIAEXPIRED000000002\", \"SecretAccessKey\": \"expiredSecretEXAMPLEwJalrXUtnFEMI\", \"Token\": \"expiredTokenEXAMPLE\", \"Expiration\": \"2001-01-01T00:00:00Z\"}"));
        _tool.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = new Uri(container.Endpoint, "/v2/credentials").ToString();

        ProcessResult describe = await _tool.RunAsync("describe");
        ProcessResult export = await _tool.RunAsync("export");

        foreach (ProcessResult result in new[] { describe, export })
        {
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.StartsWith("workload-credentials: Container: ", result.Error, StringComparison.Ordinal);
            Assert.Contains("2001-01-01T00:00:00Z", result.Error, StringComparison.Ordinal);
            Assert.Contains("expired", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("expiredSecret", result.AllText, StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, export.Output);
        Assert.Contains("Source:         none (Container failed)", describe.Output.Split('\n').Select(l => l.TrimEnd()));
    }

    private void UseRoleChainWithExternalId(Uri endpoint)
    {
        _tool.Environment["AWS_ENDPOINT_URL_STS"] = endpoint.ToString();
        _tool.WriteFile(".aws/credentials", "[cluster]\naws_access_key_id = AKIACLUSTER000000001\naws_secret_access_key = CLUSTERsecretEXAMPLEwJalrXUtnFEMI\n");
        _tool.WriteFile(
            ".aws/config",
            $"[profile customer]\nrole_arn = {RoleArn}\nsource_profile = cluster\nexternal_id = {ExternalId}\nrole_session_name = mgmt\n");
    }
}
