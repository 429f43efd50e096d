using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Profiles;

/// <summary>
/// A profile step whose settings the built-in sources reject (an invalid role_arn) fails like any other step: the message names
/// the profile, the file and the line, not only the key. Built with the real step factory; no request is ever sent.
/// </summary>
public sealed class ProfileStepSettingsTests : IDisposable
{
    private readonly List<ProfileFiles> _files = [];

    public void Dispose()
    {
        foreach (ProfileFiles files in _files)
        {
            files.Dispose();
        }
    }

    [Fact]
    public async Task GetCredentialsAsync_WebIdentityRoleArnInvalid_FailsNamingProfileAndFile()
    {
        ProfileCredentialSource source = CreateSut("[profile A]\nrole_arn = arn:aws:iam::123456789012:user/bob\nweb_identity_token_file = /token.jwt\n", out string configPath, out LoopbackGuardHandler handler);

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith($"Profile: web identity arn:aws:iam::123456789012:user/bob (token file /token.jwt) of profile 'A' ({configPath} line 3) failed: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("role_arn is not an IAM role ARN", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsRecoverable);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task GetCredentialsAsync_AssumeRoleRoleArnInvalid_FailsNamingProfileAndFile()
    {
        ProfileCredentialSource source = CreateSut(
            "[profile A]\nrole_arn = customer-role\nsource_profile = B\n[profile B]\naws_access_key_id = AKIDB\naws_secret_access_key = secretB\n",
            out string configPath,
            out LoopbackGuardHandler handler);

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith($"Profile: assume role customer-role of profile 'A' ({configPath} line 2) failed: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("role_arn is not an IAM role ARN", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secretB", ex.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    private ProfileCredentialSource CreateSut(string config, out string configPath, out LoopbackGuardHandler handler)
    {
        var files = new ProfileFiles(config);
        _files.Add(files);
        configPath = files.ConfigPath;
        handler = new LoopbackGuardHandler(_ => throw new InvalidOperationException("no request expected"));
        var environment = new DictionaryEnvironment([new("HOME", files.Home), new("AWS_PROFILE", "A"), new("AWS_REGION", "us-east-1"), new("AWS_EC2_METADATA_DISABLED", "true")]);
        var context = NetworkSafety.Guarded(new WorkloadCredentialsOptions(), environment, TimeProvider.System, httpHandler: handler);
        Func<string, string?> settings = SelectedProfileSettings.Create(context);
        return new ProfileCredentialSource(context, new WorkloadCredentials.Profiles.Internal.BuiltInProfileStepFactory(WorkloadCredentials.Chain.Internal.SourceDefinitions.CreateBuildContext(context, settings, new WorkloadCredentials.Chain.Internal.DefaultRegionHint(context, settings))), isWindows: false);
    }
}
