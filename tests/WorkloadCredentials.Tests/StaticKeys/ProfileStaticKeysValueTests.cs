using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Tests.Profiles;

using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.StaticKeys;

/// <summary>Static keys in a shared credentials file are checked like every other source's: a malformed value is named, never quoted.</summary>
public sealed class ProfileStaticKeysValueTests : IDisposable
{
    private const string KeyId = "AKIAPROFILEEXAMPLE01";
    private const string Secret = "profileSecretEXAMPLEwJalrXUtnFEMI/K7MDENG";
    private const string Token = "profileTokenEXAMPLEIQoJb3JpZ2luX2Vj";

    private readonly FakeLogCollector _logs = new();
    private ProfileFiles? _files;

    public void Dispose() => _files?.Dispose();

    [Theory]
    [InlineData(KeyId, "\"" + Secret + "\"", Token, "aws_secret_access_key", "the secret access key holds a quote or a backslash")]
    [InlineData("AKIA\u001b[2JPROFILE01", Secret, Token, "aws_access_key_id", "the access key id holds a control character")]
    [InlineData(KeyId, Secret, "profileToken\u00ffEXAMPLE\u00fe", "aws_session_token", "the session token holds a character that is not ASCII")]
    [InlineData(KeyId, "profileSecret\u0000EXAMPLEwJalrXUtnFEMI", Token, "aws_secret_access_key", "the secret access key holds a NUL character")]
    public async Task GetCredentialsAsync_MalformedProfileKey_FailsNamingProfileSettingAndProblem(string keyId, string secret, string token, string setting, string problem)
    {
        ProfileCredentialSource source = CreateSut($"[default]\naws_access_key_id = {keyId}\naws_secret_access_key = {secret}\naws_session_token = {token}\n");

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            $"Profile: the static keys of profile 'default' ({_files!.CredentialsPath} line 2): {setting} is malformed: {problem}. Set it to the value AWS issued, with no quotes, spaces or line breaks (the files take values as written).",
            ex.Message);
        Assert.False(ex.IsRecoverable);
        string everything = ex.ToString() + string.Join("\n", _logs.GetSnapshot().Select(r => r.Message));
        Assert.DoesNotContain(Secret[..14], everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Token[..14], everything, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', everything);
    }

    private ProfileCredentialSource CreateSut(string credentials)
    {
        _files = new ProfileFiles(credentials: credentials);
        var loggerFactory = new LoggerFactory([new FakeLoggerProvider(_logs)], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
        var context = NetworkSafety.Guarded(
            new WorkloadCredentialsOptions(), new DictionaryEnvironment(new Dictionary<string, string> { ["HOME"] = _files.Home }), TimeProvider.System, loggerFactory);
        return new ProfileCredentialSource(context, new FakeProfileStepFactory(), isWindows: false);
    }
}
