using WorkloadCredentials.Profiles.Internal;

namespace WorkloadCredentials.Tests.Profiles;

public sealed class ProfileChainResolverTests
{
    private const string Config = "/home/u/.aws/config";
    private const string Credentials = "/home/u/.aws/credentials";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    [Fact]
    public void Resolve_FourProfileChain_RolesInAssumeOrderWithExternalIdAndDuration()
    {
        ProfileSet set = Parse(
            """
            [profile a]
            role_arn = arn:aws:iam::111111111111:role/A
            source_profile = b
            external_id = customer-42
            role_session_name = job
            duration_seconds = 3600
            [profile b]
            role_arn = arn:aws:iam::222222222222:role/B
            source_profile = c
            [profile c]
            role_arn = arn:aws:iam::333333333333:role/C
            source_profile = d
            """,
            $"[d]\naws_access_key_id = AKIDBASE\naws_secret_access_key = {Secret}\naws_session_token = tok\naws_account_id = 444444444444\n");

        ProfileChain chain = ProfileChainResolver.Resolve(set, "a");

        var keys = Assert.IsType<StaticKeysProfileStep>(chain.Base);
        Assert.Equal(("d", "AKIDBASE", Secret, "tok", "444444444444"), (keys.ProfileName, keys.AccessKeyId, keys.SecretAccessKey, keys.SessionToken, keys.AccountId));
        Assert.Equal(["arn:aws:iam::333333333333:role/C", "arn:aws:iam::222222222222:role/B", "arn:aws:iam::111111111111:role/A"], chain.Roles.Select(r => r.RoleArn));
        AssumeRoleProfileStep last = chain.Roles[^1];
        Assert.Equal(("customer-42", "job", (int?)3600), (last.ExternalId, last.SessionName, last.DurationSeconds));
        Assert.Equal((null, null, null), (chain.Roles[0].ExternalId, chain.Roles[0].SessionName, chain.Roles[0].DurationSeconds));
        Assert.Equal(
            "static keys AKID*** of profile 'd' -> assume role arn:aws:iam::333333333333:role/C of profile 'c' -> assume role arn:aws:iam::222222222222:role/B of profile 'b' -> assume role arn:aws:iam::111111111111:role/A of profile 'a'",
            chain.Describe());
        Assert.DoesNotContain(Secret, chain.ToString(), StringComparison.Ordinal);
        Assert.Equal($" ({Credentials} line 2)", keys.Location);
    }

    [Fact]
    public void Resolve_ThreeProfileLoop_ReportsThePath()
    {
        ProfileSet set = Parse(
            "[profile a]\nrole_arn = arn:a\nsource_profile = b\n[profile b]\nrole_arn = arn:b\nsource_profile = c\n[profile c]\nrole_arn = arn:c\nsource_profile = a\n");

        AssertError(
            set, "a", ProfileErrorKind.InfiniteLoop,
            $"Profile: the source_profile settings formed an infinite loop: a -> b -> c -> a (in {Config} or {Credentials}). Give one of these profiles static keys or a credential_source instead of source_profile.");
    }

    [Fact]
    public void Resolve_SelectedProfileMissing_NamesTheFiles()
    {
        AssertError(
            Parse("[profile other]\nregion = x\n"), "dev", ProfileErrorKind.ProfileNotFound,
            $"Profile: profile 'dev' was not found in {Config} or {Credentials}. Add [profile dev] to the config file or [dev] to the credentials file, or select an existing profile.");
    }

    [Fact]
    public void Resolve_SourceProfileMissing_NamesReferrerKeyAndLine()
    {
        AssertError(
            Parse("[profile a]\nrole_arn = arn:a\nsource_profile = nope\n"), "a", ProfileErrorKind.SourceProfileNotFound,
            $"Profile: could not find source profile 'nope' referenced from profile 'a' (source_profile ({Config} line 3)). Define profile 'nope' or fix source_profile.");
    }

    [Fact]
    public void Resolve_RoleWithoutSource_NamesKeyAndLine()
    {
        AssertError(
            Parse("[profile a]\nregion = us-east-1\nrole_arn = arn:a\n"), "a", ProfileErrorKind.MissingRoleSource,
            $"Profile: profile 'a' sets role_arn ({Config} line 3), so the profile must contain `source_profile` or `credential_source` to say which credentials assume the role. Add one of them.");
    }

    [Fact]
    public void Resolve_BothSources_NamesBothKeys()
    {
        AssertError(
            Parse("[profile a]\nrole_arn = arn:a\nsource_profile = b\ncredential_source = Environment\n[profile b]\naws_access_key_id = x\naws_secret_access_key = y\n"),
            "a", ProfileErrorKind.ConflictingRoleSource,
            $"Profile: profile 'a' contained both source_profile ({Config} line 3) and credential_source ({Config} line 4); only one may be set. Remove one of them.");
    }

    [Fact]
    public void Resolve_KeyIdWithoutSecret_NamesMissingKey()
    {
        AssertError(
            Parse("[profile a]\nrole_arn = arn:a\nsource_profile = b\n", "[b]\naws_access_key_id = AKIDONLY\n"), "a", ProfileErrorKind.MissingSecretAccessKey,
            $"Profile: profile 'b' sets aws_access_key_id ({Credentials} line 2) but is missing aws_secret_access_key. Add aws_secret_access_key to the profile.");
    }

    [Fact]
    public void Resolve_SecretWithoutKeyId_NamesMissingKeyAndHidesSecret()
    {
        var ex = AssertError(
            Parse(null, $"[default]\naws_secret_access_key = {Secret}\n"), "default", ProfileErrorKind.MissingAccessKeyId,
            $"Profile: profile 'default' sets aws_secret_access_key ({Credentials} line 2) but is missing aws_access_key_id. Add aws_access_key_id to the profile.");
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_EmptySourceProfile_SaysWhoUsesIt()
    {
        AssertError(
            Parse("[profile a]\nrole_arn = arn:a\nsource_profile = b\n[profile b]\nregion = eu-west-1\n"), "a", ProfileErrorKind.NoCredentials,
            $"Profile: profile 'b' (in {Config}) did not contain credential information, yet profile 'a' uses it as source_profile. Set aws_access_key_id and aws_secret_access_key, role_arn with source_profile or credential_source, credential_process, or web_identity_token_file.");
    }

    [Fact]
    public void Resolve_UnknownCredentialSource_ListsAllowedValues()
    {
        AssertError(
            Parse("[profile a]\nrole_arn = arn:a\ncredential_source = Ec2Metadata\n"), "a", ProfileErrorKind.InvalidCredentialSource,
            $"Profile: profile 'a' has credential_source = 'Ec2Metadata' ({Config} line 3), which is not one of Environment, Ec2InstanceMetadata, EcsContainer. Fix the value.");
    }

    [Theory]
    [InlineData("60")]
    [InlineData("50000")]
    [InlineData("1h")]
    [InlineData("-900")]
    public void Resolve_BadDuration_NamesKeyAndRange(string value)
    {
        AssertError(
            Parse($"[profile a]\nrole_arn = arn:a\ncredential_source = EcsContainer\nduration_seconds = {value}\n"), "a", ProfileErrorKind.InvalidDurationSeconds,
            $"Profile: profile 'a' has duration_seconds = '{value}' ({Config} line 4), which is not a whole number of seconds from 900 to 43200. Fix the value.");
    }

    [Fact]
    public void Resolve_MfaSerial_RefusedWithReason()
    {
        AssertError(
            Parse("[profile a]\nrole_arn = arn:a\ncredential_source = Environment\nmfa_serial = arn:aws:iam::1:mfa/me\n"), "a", ProfileErrorKind.MfaNotSupported,
            $"Profile: profile 'a' sets mfa_serial ({Config} line 4): assuming its role needs an MFA code typed by a person, which a workload cannot supply. Use a profile without mfa_serial.");
    }

    [Fact]
    public void Resolve_SourceProfileWithoutRoleArn_NamesKey()
    {
        AssertError(
            Parse("[profile a]\nsource_profile = b\n[profile b]\naws_access_key_id = x\naws_secret_access_key = y\n"), "a", ProfileErrorKind.MissingRoleArn,
            $"Profile: profile 'a' sets source_profile ({Config} line 2) but no role_arn; source_profile only says which credentials assume a role. Add role_arn, or remove source_profile.");
    }

    [Fact]
    public void Resolve_CredentialProcessWithSourceProfileButNoRole_IsTheBase()
    {
        ProfileChain chain = ProfileChainResolver.Resolve(
            Parse("[default]\nsource_profile = base\ncredential_process = my-helper --profile x\naws_account_id = 123456789001\n[profile base]\nregion = us-east-1\n"), "default");

        var process = Assert.IsType<CredentialProcessProfileStep>(chain.Base);
        Assert.Equal(("my-helper --profile x", "123456789001"), (process.CommandLine, process.AccountId));
        Assert.Empty(chain.Roles);
    }

    [Fact]
    public void Resolve_CredentialSourceWithoutRole_IsANamedBase()
    {
        ProfileChain chain = ProfileChainResolver.Resolve(Parse("[profile a]\ncredential_source = EcsContainer\n"), "a");

        Assert.Equal(ProfileCredentialSourceKind.EcsContainer, Assert.IsType<NamedSourceProfileStep>(chain.Base).Source);
        Assert.Empty(chain.Roles);
    }

    [Fact]
    public void Resolve_BlankValues_CountAsUnset()
    {
        AssertError(
            Parse("[profile a]\nrole_arn = arn:a\nsource_profile =\ncredential_source = \n"), "a", ProfileErrorKind.MissingRoleSource,
            $"Profile: profile 'a' sets role_arn ({Config} line 2), so the profile must contain `source_profile` or `credential_source` to say which credentials assume the role. Add one of them.");
    }

    [Theory]
    [InlineData("region = us-east-1\nmax_attempts = 3", false)]
    [InlineData("aws_access_key_id = x", true)]
    [InlineData("credential_process = x", true)]
    [InlineData("credential_source = Environment", true)]
    [InlineData("web_identity_token_file = /t", true)]
    [InlineData("sso_session = s", true)]
    [InlineData("role_arn =", false)]
    public void HasCredentialSettings_ByKey(string settings, bool expected)
    {
        ProfileSet set = Parse($"[default]\n{settings}\n");

        Assert.Equal(expected, ProfileChainResolver.HasCredentialSettings(set.Profiles["default"]));
    }

    private static ProfileSet Parse(string? config, string? credentials = null) => ProfileSet.Parse(config, Config, credentials, Credentials);

    private static ProfileConfigurationException AssertError(ProfileSet set, string profile, ProfileErrorKind kind, string message)
    {
        var ex = Assert.Throws<ProfileConfigurationException>(() => ProfileChainResolver.Resolve(set, profile));
        Assert.Equal(message, ex.Message);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal("Profile", ex.SourceName);
        Assert.False(ex.IsRecoverable);
        return ex;
    }
}
