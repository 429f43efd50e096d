using Microsoft.Extensions.Logging.Abstractions;
using WorkloadCredentials.Diagnostics;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;
using WorkloadCredentials.Tests.Profiles;

namespace WorkloadCredentials.Tests.Diagnostics;

/// <summary>The public describe API: what <c>workload-credentials describe</c> shows, from code, never with a secret.</summary>
public sealed class CredentialSourceDescriptionTests
{
    private const string KeyId = "AKIA1234DESCRIBE0001";
    private const string Secret = "describeSECRET+wJalrXUtnFEMI/K7MDENG";
    private const string Token = "describeTOKEN-IQoJb3JpZ2luX2VjEXAMPLE";
    private const string ProfileKeyId = "AKIA5678DESCRIBE0002";
    private const string ProfileSecret = "profileSECRET+wJalrXUtnFEMI/K7MDENGX";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ICachedAwsCredentialSource CreateDefault(TestEnvironment environment, WorkloadCredentialsOptions? options = null) =>
        AwsCredentialSources.CreateDefault(NetworkSafety.Guarded(options ?? new WorkloadCredentialsOptions(), environment, TimeProvider.System, NullLoggerFactory.Instance));

    private static TestEnvironment EnvironmentKeys(bool withToken = true)
    {
        var environment = new TestEnvironment();
        environment["AWS_ACCESS_KEY_ID"] = KeyId;
        environment["AWS_SECRET_ACCESS_KEY"] = Secret;
        environment["AWS_SESSION_TOKEN"] = withToken ? Token : null;
        return environment;
    }

    /// <summary>Every text the description exposes, its <see cref="object.ToString"/> included.</summary>
    private static IEnumerable<string?> AllText(CredentialSourceDescription d)
    {
        yield return d.ToString();
        yield return d.SourceName;
        yield return d.RedactedAccessKeyId;
        yield return d.AccountId;
        yield return d.RoleArn;
        yield return d.IgnoredRoleSetting;
        yield return d.ErrorSourceName;
        yield return d.ErrorMessage;
        foreach (CredentialSourceStatusEntry entry in d.Sources)
        {
            yield return entry.ToString();
            yield return entry.Name;
            yield return entry.Reason;
        }

        if (d.Profile is { } profile)
        {
            yield return profile.ToString();
            yield return profile.Name;
            yield return profile.Plan;
            yield return profile.ConfigFile;
            yield return profile.CredentialsFile;
            foreach (string name in profile.ExternalIdProfiles)
            {
                yield return name;
            }
        }
    }

    private static void AssertNoSecret(CredentialSourceDescription d, params string[] secrets)
    {
        foreach (string? text in AllText(d))
        {
            foreach (string secret in secrets)
            {
                Assert.DoesNotContain(secret, text ?? string.Empty, StringComparison.Ordinal);
            }

            SecretScanner.Check(text, "description");
        }
    }

    [Fact]
    public async Task DescribeAsync_EnvironmentKeys_ChosenSourceRedactedKeyAndWhyEachOtherWasSkipped()
    {
        using ICachedAwsCredentialSource source = CreateDefault(EnvironmentKeys());

        CredentialSourceDescription d = await source.DescribeAsync(Ct);

        Assert.Equal(CredentialResolutionStatus.Resolved, d.Status);
        Assert.Equal("Environment", d.SourceName);
        Assert.Equal("AKIA1234***", d.RedactedAccessKeyId);
        Assert.True(d.IsTemporary);
        Assert.Null(d.Expiration);
        Assert.Null(d.Profile);
        Assert.Null(d.ErrorMessage);
        Assert.Equal(
            ["StaticKeys", "Environment", "Profile", "WebIdentity", "Container", "InstanceMetadata"],
            d.Sources.Select(s => s.Name));
        Assert.Equal(
            [CredentialSourceStatus.Unavailable, CredentialSourceStatus.Chosen, CredentialSourceStatus.NotTried, CredentialSourceStatus.NotTried, CredentialSourceStatus.NotTried, CredentialSourceStatus.NotTried],
            d.Sources.Select(s => s.Status));
        Assert.StartsWith("StaticKeys: ", d.Sources[0].Reason, StringComparison.Ordinal);
        Assert.Contains("no explicit keys are configured", d.Sources[0].Reason, StringComparison.Ordinal);
        Assert.All(d.Sources.Skip(1), s => Assert.Null(s.Reason));
        Assert.StartsWith("CredentialSourceDescription { Status = Resolved, Source = Environment, AccessKeyId = AKIA1234***, Temporary = yes", d.ToString(), StringComparison.Ordinal);
        Assert.Contains("Sources = [StaticKeys: Unavailable, Environment: Chosen, Profile: NotTried", d.ToString(), StringComparison.Ordinal);
        AssertNoSecret(d, Secret, Token, KeyId);
    }

    [Fact]
    public async Task DescribeAsync_CacheHit_StillReportsTheChainsResolution()
    {
        using ICachedAwsCredentialSource source = CreateDefault(EnvironmentKeys(withToken: false));
        _ = await source.GetCredentialsAsync(Ct);

        CredentialSourceDescription d = await source.DescribeAsync(Ct);

        Assert.False(d.IsTemporary);
        Assert.Equal(CredentialSourceStatus.Chosen, Assert.Single(d.Sources, s => s.Name == "Environment").Status);
    }

    [Fact]
    public async Task DescribeAsync_KeysWinOverAWebIdentityRole_NamesTheIgnoredRole()
    {
        TestEnvironment environment = EnvironmentKeys();
        environment["AWS_ROLE_ARN"] = "arn:aws:iam::111122223333:role/app";
        using ICachedAwsCredentialSource source = CreateDefault(environment);

        CredentialSourceDescription d = await source.DescribeAsync(Ct);

        Assert.Equal("AWS_ROLE_ARN=arn:aws:iam::111122223333:role/app", d.IgnoredRoleSetting);
        Assert.Contains("IgnoredRoleSetting = AWS_ROLE_ARN=arn:aws:iam::111122223333:role/app", d.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeAsync_NothingConfigured_UnavailableWithEveryReasonAndNoThrow()
    {
        using ICachedAwsCredentialSource source = CreateDefault(new TestEnvironment());

        CredentialSourceDescription d = await source.DescribeAsync(Ct);

        Assert.Equal(CredentialResolutionStatus.Unavailable, d.Status);
        Assert.Null(d.SourceName);
        Assert.Null(d.RedactedAccessKeyId);
        Assert.Equal("Chain", d.ErrorSourceName);
        Assert.StartsWith("No AWS credentials were found.", d.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(6, d.Sources.Count);
        Assert.All(d.Sources, s =>
        {
            Assert.Equal(CredentialSourceStatus.Unavailable, s.Status);
            Assert.StartsWith(s.Name + ": ", s.Reason, StringComparison.Ordinal);
            Assert.Contains(s.Reason!, d.ErrorMessage, StringComparison.Ordinal);
        });
        Assert.Contains("Status = Unavailable, ErrorSource = Chain, Error = No AWS credentials were found.", d.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\n", d.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeAsync_SourceFails_FailedWithItsReasonAndTheRestNotTried()
    {
        IAwsCredentialSource chain = AwsCredentialSources.Chain(
            FakeCredentialSource.Unavailable("first: not configured."),
            FakeCredentialSource.Throwing(new AwsCredentialException("second: the role was refused (AccessDenied).", "second", isRecoverable: false)),
            FakeCredentialSource.Returning(FakeCredentialSource.Credentials()));

        CredentialSourceDescription d = await chain.DescribeAsync(Ct);

        Assert.Equal(CredentialResolutionStatus.Failed, d.Status);
        Assert.Equal("second", d.ErrorSourceName);
        Assert.Equal("second: the role was refused (AccessDenied).", d.ErrorMessage);
        Assert.Equal(
            [CredentialSourceStatus.Unavailable, CredentialSourceStatus.Failed, CredentialSourceStatus.NotTried],
            d.Sources.Select(s => s.Status));
        Assert.Equal("FakeCredentialSource: first: not configured.", d.Sources[0].Reason);
        Assert.Equal("FakeCredentialSource: second: the role was refused (AccessDenied).", d.Sources[1].Reason);
        Assert.Null(d.Sources[2].Reason);
        Assert.Equal("FakeCredentialSource: Failed (FakeCredentialSource: second: the role was refused (AccessDenied).)", d.Sources[1].ToString());
    }

    [Fact]
    public async Task DescribeAsync_CacheRefusesTheChosenSourcesExpiredCredentials_ThatSourceFailedWithTheReason()
    {
        var expired = FakeCredentialSource.Credentials(sourceName: "Stale", expiration: new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using ICachedAwsCredentialSource source = AwsCredentialSources.Cache(
            AwsCredentialSources.Chain(FakeCredentialSource.Unavailable("first: not configured."), FakeCredentialSource.Returning(expired)));

        CredentialSourceDescription d = await source.DescribeAsync(Ct);

        Assert.Equal(CredentialResolutionStatus.Failed, d.Status);
        Assert.Equal("Stale", d.ErrorSourceName);
        Assert.StartsWith("Stale: the credentials it returned expired at 2001-01-01T00:00:00Z (now ", d.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal([CredentialSourceStatus.Unavailable, CredentialSourceStatus.Failed], d.Sources.Select(s => s.Status));
        Assert.Equal(d.ErrorMessage, d.Sources[1].Reason);
    }

    [Fact]
    public async Task DescribeAsync_CustomSourceThrowsAnything_FailedWithTheExceptionType()
    {
        var source = FakeCredentialSource.Throwing(new InvalidOperationException("vault sealed"));

        CredentialSourceDescription d = await source.DescribeAsync(Ct);

        Assert.Equal(CredentialResolutionStatus.Failed, d.Status);
        Assert.Equal("InvalidOperationException: vault sealed", d.ErrorMessage);
        Assert.Empty(d.Sources);
    }

    [Fact]
    public async Task DescribeAsync_CustomSource_DescribedWithoutChainRecord()
    {
        var credentials = new AwsCredentials(KeyId, Secret, Token, new DateTimeOffset(2031, 2, 3, 4, 5, 6, TimeSpan.Zero), "Vault")
        {
            AccountId = "111122223333",
            RoleArn = "arn:aws:iam::111122223333:role/vault",
        };

        CredentialSourceDescription d = await FakeCredentialSource.Returning(credentials).DescribeAsync(Ct);

        Assert.Equal(CredentialResolutionStatus.Resolved, d.Status);
        Assert.Equal("Vault", d.SourceName);
        Assert.Equal("111122223333", d.AccountId);
        Assert.Equal("arn:aws:iam::111122223333:role/vault", d.RoleArn);
        Assert.Equal(credentials.Expiration, d.Expiration);
        Assert.Empty(d.Sources);
        Assert.Contains("Expiration = 2031-02-03T04:05:06.0000000+00:00", d.ToString(), StringComparison.Ordinal);
        AssertNoSecret(d, Secret, Token, KeyId);
    }

    [Fact]
    public async Task DescribeAsync_ReasonEchoesTheResolvedSecret_MaskedAndEscaped()
    {
        // Values not registered with the secret scan: the fake's own exception carries them on purpose (a source that echoes).
        string echoedKey = "echoedKEY-9d8c7b6a5f4e3d2c1b0a-qwerty";
        string echoedSession = "echoedSESSION-0a1b2c3d4e5f6a7b8c9d";
        var credentials = new AwsCredentials(KeyId, echoedKey, echoedSession, null, "Second");
        IAwsCredentialSource chain = AwsCredentialSources.Chain(
            FakeCredentialSource.Unavailable($"first: the server said \u001b[31m'{echoedKey}' and '{echoedSession[..14]}'"),
            FakeCredentialSource.Returning(credentials));

        CredentialSourceDescription d = await chain.DescribeAsync(Ct);

        Assert.Equal("FakeCredentialSource: first: the server said \\u001b[31m'***' and '***'", d.Sources[0].Reason);
        AssertNoSecret(d, echoedKey, echoedSession, echoedSession[..14]);
    }

    [Fact]
    public async Task DescribeAsync_ProfileChosen_DescribesTheProfileWithoutItsSecret()
    {
        using var files = new ProfileFiles(
            config: "[profile dev]\nregion = eu-west-1\n",
            credentials: $"[dev]\naws_access_key_id = {ProfileKeyId}\naws_secret_access_key = {ProfileSecret}\n");
        var environment = new TestEnvironment();
        environment["HOME"] = files.Home;
        environment["AWS_CONFIG_FILE"] = files.ConfigPath;
        environment["AWS_SHARED_CREDENTIALS_FILE"] = files.CredentialsPath;
        using ICachedAwsCredentialSource source = CreateDefault(environment, new WorkloadCredentialsOptions { Profile = "dev" });

        CredentialSourceDescription d = await source.DescribeAsync(Ct);

        Assert.Equal("Profile", d.SourceName);
        CredentialProfileDescription profile = Assert.IsType<CredentialProfileDescription>(d.Profile);
        Assert.Equal("dev", profile.Name);
        Assert.Equal(CredentialProfileOrigin.Options, profile.Origin);
        Assert.Equal("static keys AKIA5678*** of profile 'dev'", profile.Plan);
        Assert.Equal(files.ConfigPath, profile.ConfigFile);
        Assert.Equal(files.CredentialsPath, profile.CredentialsFile);
        Assert.Empty(profile.ExternalIdProfiles);
        Assert.Contains("Profile = dev (Options): static keys AKIA5678*** of profile 'dev'", d.ToString(), StringComparison.Ordinal);
        AssertNoSecret(d, ProfileSecret, ProfileKeyId);
    }

    [Fact]
    public async Task DescribeAsync_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var source = new FakeCredentialSource(ct => ValueTask.FromCanceled<AwsCredentials>(ct));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await source.DescribeAsync(cancelled.Token));
    }

    [Fact]
    public void DescribeAsync_NullSource_ThrowsAtOnce()
    {
        Assert.Equal("source", Assert.Throws<ArgumentNullException>(() => AwsCredentialSourceDescribeExtensions.DescribeAsync(null!)).ParamName);
    }
}
