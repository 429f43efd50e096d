using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;

using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Profiles;

/// <summary>
/// What a <c>credential_process</c> prints is checked like every other source's answer: expired credentials and malformed values
/// (invalid UTF-8, line breaks, NUL, quotes) fail with a message naming the profile, the output field and the problem, never the value.
/// </summary>
public sealed class CredentialProcessOutputValueTests : IDisposable
{
    private const string Secret = "processSecretEXAMPLEwJalrXUtnFEMI";

    private readonly ProfileFiles _files = new();
    private readonly string _outputDirectory = Directory.CreateTempSubdirectory("wc-process-out-").FullName;

    public void Dispose()
    {
        _files.Dispose();
        Directory.Delete(_outputDirectory, recursive: true);
    }

    [Fact]
    public async Task GetCredentialsAsync_ProcessPrintsExpiredCredentials_FailsNamingExpiration()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        ProfileCredentialSource source = CreateSut(
            Encoding("{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESS0000001\", \"SecretAccessKey\": \"" + Secret + "\", \"SessionToken\": \"tokenEXAMPLE\", \"Expiration\": \"2001-01-01T00:00:00Z\"}"),
            time);

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            $"Profile: the credential_process of profile 'default' ({_files.ConfigPath} line 2) failed: the output's Expiration 2001-01-01T00:00:00Z is in the past (now 2026-03-01T12:00:00Z): the program printed expired credentials. Run the command by hand to see what it prints.",
            ex.Message);
        Assert.Equal(ProfileErrorKind.CredentialProcessFailed, ex.Kind);
        Assert.True(ex.IsRecoverable);
    }

    [Theory]
    [InlineData("AccessKeyId", "\"ASIA\\nPROCESS00001\"", "the access key id holds a line break")]
    [InlineData("SecretAccessKey", "\"processSecret\\u0000EXAMPLEwJalrXUtnFEMI\"", "the secret access key holds a NUL character")]
    [InlineData("SecretAccessKey", "\"processSecret\\\"EXAMPLEwJalrXUtnFEMI\"", "the secret access key holds a quote or a backslash")]
    [InlineData("SessionToken", "\"tokenEXAMPLE\\u001b[2JtokenEXAMPLE\"", "the session token holds a control character")]
    public async Task GetCredentialsAsync_ProcessPrintsMalformedValue_FailsNamingFieldAndProblem(string field, string jsonValue, string problem)
    {
        var values = new Dictionary<string, string>
        {
            ["AccessKeyId"] = "\"ASIAPROCESS0000001\"",
            ["SecretAccessKey"] = "\"" + Secret + "\"",
            ["SessionToken"] = "\"tokenEXAMPLEtokenEXAMPLE\"",
        };
        values[field] = jsonValue;
        string json = "{\"Version\": 1, " + string.Join(", ", values.Select(v => $"\"{v.Key}\": {v.Value}")) + "}";
        ProfileCredentialSource source = CreateSut(Encoding(json));

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            $"Profile: the credential_process of profile 'default' ({_files.ConfigPath} line 2) failed: the output's {field} is malformed: {problem}. Run the command by hand to see what it prints.",
            ex.Message);
        Assert.False(ex.IsRecoverable);
        Assert.DoesNotContain("processSecret", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("tokenEXAMPLE", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_ProcessPrintsInvalidUtf8_FailsNamingField()
    {
        // "ASIA" then the bytes FF FE 28: invalid UTF-8, rendered ASIA��( once decoded.
        string outputFile = Path.Combine(_outputDirectory, "out.json");
        byte[] bytes = [.. System.Text.Encoding.ASCII.GetBytes("{\"Version\": 1, \"AccessKeyId\": \"ASIA"), 0xFF, 0xFE, 0x28, .. System.Text.Encoding.ASCII.GetBytes("PROCESS01\", \"SecretAccessKey\": \"" + Secret + "\"}")];
        File.WriteAllBytes(outputFile, bytes);
        ProfileCredentialSource source = CreateSut($"cat {outputFile}");

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            $"Profile: the credential_process of profile 'default' ({_files.ConfigPath} line 2) failed: the output's AccessKeyId is malformed: the access key id holds a character that is not valid UTF-8 (U+FFFD after decoding). Run the command by hand to see what it prints.",
            ex.Message);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_ProcessPrintsFutureExpiration_Accepted()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        ProfileCredentialSource source = CreateSut(
            Encoding("{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESS0000001\", \"SecretAccessKey\": \"" + Secret + "\", \"Expiration\": \"2026-03-01T13:00:00Z\"}"),
            time);

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.Zero), credentials.Expiration);
    }

    /// <summary>A command line that prints <paramref name="json"/> exactly (base64 through a pipe: no quoting of the JSON in the file).</summary>
    private static string Encoding(string json) => $"echo {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json))} | base64 --decode";

    private ProfileCredentialSource CreateSut(string commandLine, TimeProvider? time = null)
    {
        File.WriteAllText(_files.ConfigPath, $"[default]\ncredential_process = {commandLine}\n");
        var context = NetworkSafety.Guarded(
            new WorkloadCredentialsOptions(), new DictionaryEnvironment(new Dictionary<string, string> { ["HOME"] = _files.Home }), time ?? TimeProvider.System, NullLoggerFactory.Instance);
        return new ProfileCredentialSource(context, new FakeProfileStepFactory(), isWindows: false);
    }
}
