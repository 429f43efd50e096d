using System.Globalization;
using System.Text;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;

using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Profiles;

/// <summary>Profile names outside ASCII (issue 9, item 15) and the cap on <c>source_profile</c> chains (item 18).</summary>
public sealed class ProfileNameAndChainLimitTests : IDisposable
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private readonly List<ProfileFiles> _files = [];

    private FakeProfileStepFactory Steps { get; } = new();

    public void Dispose()
    {
        foreach (ProfileFiles files in _files)
        {
            files.Dispose();
        }
    }

    [Fact]
    public async Task GetCredentialsAsync_AwsProfileNonAsciiAndSectionExists_FindsTheSection()
    {
        // The reported scenario: AWS_PROFILE=prodé and [profile prodé] in the config file, as `aws configure --profile prodé` writes it.
        var source = CreateSut(config: $"[profile prodé]\naws_access_key_id = AKIDPRODE\naws_secret_access_key = {Secret}\n", profile: "prodé");

        AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("AKIDPRODE", credentials.AccessKeyId);
    }

    [Fact]
    public async Task GetCredentialsAsync_NonAsciiNameInCredentialsFile_FindsTheSection()
    {
        var source = CreateSut(credentials: $"[équipe-données]\naws_access_key_id = AKIDDATA\naws_secret_access_key = {Secret}\n", profile: "équipe-données");

        Assert.Equal("AKIDDATA", (await source.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
    }

    [Fact]
    public void Parse_NonAsciiNamesWithSpecRules_KeepsLettersAndStillIgnoresPunctuation()
    {
        ProfileSet set = ProfileSet.Parse("[profile prodé]\na = 1\n[profile foo!bar]\nb = 2\n[profile in valid]\nc = 3\n[profile 生産]\nd = 4\n", "config", null, null);

        Assert.Equal(["prodé", "生産"], set.Profiles.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetCredentialsAsync_SourceProfileChainLongerThanCap_FailsBeforeAnyStsCall()
    {
        const int Profiles = 5000;
        var config = new StringBuilder();
        for (int i = 0; i < Profiles - 1; i++)
        {
            config.Append(CultureInfo.InvariantCulture, $"[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/r{i}\nsource_profile = p{i + 1}\n");
        }

        config.Append(CultureInfo.InvariantCulture, $"[profile p{Profiles - 1}]\naws_access_key_id = AKIDBASE\naws_secret_access_key = {Secret}\n");
        var source = CreateSut(config: config.ToString(), profile: "p0");

        var ex = await Assert.ThrowsAsync<ProfileConfigurationException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(ProfileErrorKind.ChainTooLong, ex.Kind);
        Assert.Empty(Steps.Calls);
        Assert.Empty(Steps.AssumeRoles);
        Assert.Equal(
            $"Profile: the source_profile chain from profile 'p0' visits more than {ProfileConstants.MaxChainProfiles} profiles (p0 -> p1 -> p2 -> ... -> p19 -> p20) in {_files[^1].ConfigPath} or {_files[^1].CredentialsPath}; each hop is an STS call and real chains have one to three. Give a profile near the start static keys, a credential_source or a credential_process. See docs/profiles.md#file-limits.",
            ex.Message);
        Assert.False(ex.IsRecoverable);
    }

    [Fact]
    public async Task GetCredentialsAsync_SourceProfileChainAtCap_AssumesEveryRole()
    {
        int roles = ProfileConstants.MaxChainProfiles - 1;
        var config = new StringBuilder();
        for (int i = 0; i < roles; i++)
        {
            config.Append(CultureInfo.InvariantCulture, $"[profile p{i}]\nrole_arn = arn:aws:iam::123456789012:role/r{i}\nsource_profile = p{i + 1}\n");
        }

        config.Append(CultureInfo.InvariantCulture, $"[profile p{roles}]\naws_access_key_id = AKIDBASE\naws_secret_access_key = {Secret}\n");
        var source = CreateSut(config: config.ToString(), profile: "p0");

        await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(roles, Steps.AssumeRoles.Count);
    }

    private ProfileCredentialSource CreateSut(string? config = null, string? credentials = null, string? profile = null)
    {
        var files = new ProfileFiles(config, credentials);
        _files.Add(files);
        var variables = new Dictionary<string, string> { ["HOME"] = files.Home };
        if (profile is not null)
        {
            variables["AWS_PROFILE"] = profile;
        }

        return new ProfileCredentialSource(NetworkSafety.Guarded(new WorkloadCredentialsOptions(), new DictionaryEnvironment(variables)), Steps, isWindows: false);
    }
}
