using System.Text.Json;

namespace WorkloadCredentials.Tests.Tool;

/// <summary>
/// A real AWS client accepts our output: the AWS CLI (v1, <c>aws</c> on PATH) runs <c>workload-credentials export --format process</c>
/// through a <c>credential_process</c> line of a temporary config, and signs sts:GetCallerIdentity at moto (signatures verified) with it.
/// </summary>
public sealed class AwsCliCredentialProcessTests : IClassFixture<SignedMotoFixture>, IDisposable
{
    private readonly SignedMotoFixture _moto;
    private readonly ToolRunner _tool = new();

    public AwsCliCredentialProcessTests(SignedMotoFixture moto)
    {
        _moto = moto;
    }

    public void Dispose() => _tool.Dispose();

    [Fact]
    public async Task AwsCli_CredentialProcessRunsExport_GetCallerIdentitySucceeds()
    {
        // The AWS CLI's own environment has no keys (they would win over the profile); the tool gets them through `env`, so its
        // chain resolves them from the Environment source.
        string command = string.Join(
            ' ',
            "env",
            Quote("AWS_ACCESS_KEY_ID=" + _moto.AccessKeyId),
            Quote("AWS_SECRET_ACCESS_KEY=" + _moto.SecretAccessKey),
            "dotnet",
            Quote(ToolRunner.ToolPath),
            "export",
            "--format",
            "process");
        string config = _tool.WriteFile("aws/config", $"[default]\nregion = us-east-1\ncredential_process = {command}\n");
        string credentials = _tool.WriteFile("aws/credentials", string.Empty);

        Dictionary<string, string> environment = ToolRunner.BaseEnvironment(_tool.Home);
        environment["AWS_CONFIG_FILE"] = config;
        environment["AWS_SHARED_CREDENTIALS_FILE"] = credentials;
        environment["AWS_DEFAULT_REGION"] = "us-east-1";
        if (System.Environment.GetEnvironmentVariable("PYENV_ROOT") is { } pyenvRoot)
        {
            environment["PYENV_ROOT"] = pyenvRoot; // the `aws` on PATH may be a pyenv shim
        }

        ProcessResult result = await ToolRunner.RunProcessAsync(
            "aws",
            ["sts", "get-caller-identity", "--endpoint-url", _moto.Moto.Endpoint.ToString(), "--output", "json"],
            environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument document = JsonDocument.Parse(result.Output);
        Assert.Equal("123456789012", document.RootElement.GetProperty("Account").GetString());
        Assert.Equal(_moto.UserArn, document.RootElement.GetProperty("Arn").GetString());
    }

    [Fact]
    public async Task AwsCli_CredentialProcessFails_ShowsOurReason()
    {
        string command = $"dotnet {Quote(ToolRunner.ToolPath)} export --format process";
        string config = _tool.WriteFile("aws/config", $"[default]\nregion = us-east-1\ncredential_process = {command}\n");

        Dictionary<string, string> environment = ToolRunner.BaseEnvironment(_tool.Home);
        environment["AWS_CONFIG_FILE"] = config;
        environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_tool.Home, "aws", "no-credentials");
        environment["AWS_SESSION_TOKEN"] = "x"; // the AWS CLI ignores a lone token; our Environment source fails on it
        if (System.Environment.GetEnvironmentVariable("PYENV_ROOT") is { } pyenvRoot)
        {
            environment["PYENV_ROOT"] = pyenvRoot;
        }

        ProcessResult result = await ToolRunner.RunProcessAsync(
            "aws",
            ["sts", "get-caller-identity", "--endpoint-url", _moto.Moto.Endpoint.ToString()],
            environment);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("AWS_SESSION_TOKEN is set, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not", result.Error, StringComparison.Ordinal);
    }

    /// <summary>POSIX single quotes, as botocore splits the credential_process line with shlex.</summary>
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
