using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Chain;

/// <summary>
/// Issue 15, item 3: what the chain's wiring left unpinned: the context it reports before it sticks, a foreign failure recorded
/// in the resolution, the links of the default chain (built ones owned, the application's not), and the options validator's
/// parts (the cache and STS rules, the DataAnnotations rules, the prefix of options named in code).
/// </summary>
public sealed class ChainWiringGuardTests
{
    [Fact]
    public async Task BuiltFrom_BeforeAChoice_TheFirstSourceThatKnowsOne_ThenTheChosenOnes()
    {
        var first = new CredentialSourceContext(new WorkloadCredentialsOptions());
        var second = new CredentialSourceContext(new WorkloadCredentialsOptions());
        var chain = new CredentialChain(
            [
                new ChainLink("Plain", FakeCredentialSource.Unavailable("Plain: no.")),
                new ChainLink("First", new ContextSource(first, available: false)),
                new ChainLink("Second", new ContextSource(second, available: true)),
            ],
            CredentialTelemetry.Null);

        Assert.Same(first, chain.BuiltFrom);
        _ = await chain.GetCredentialsAsync(TestContext.Current.CancellationToken);
        Assert.Same(second, chain.BuiltFrom);
    }

    [Fact]
    public void BuiltFrom_NoSourceKnowsOne_Null()
    {
        var chain = new CredentialChain([new ChainLink("Plain", FakeCredentialSource.Unavailable("Plain: no."))], CredentialTelemetry.Null);

        Assert.Null(chain.BuiltFrom);
    }

    [Fact]
    public async Task ForeignFailure_RecordedAsTheFailedSource_WithTheWrappedMessage_AndLogged()
    {
        var logger = new FakeLogger();
        var chain = new CredentialChain(
            [
                new ChainLink("Vault", FakeCredentialSource.Throwing(new InvalidOperationException("socket closed"))),
                new ChainLink("Later", FakeCredentialSource.Returning(FakeCredentialSource.Credentials())),
            ],
            new CredentialTelemetry(logger));

        _ = await Assert.ThrowsAsync<AwsCredentialException>(() => chain.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("Vault", chain.LastResolution!.FailedSourceName);
        Assert.Equal(
            [
                new ChainResolutionEntry("Vault", ChainSourceStatus.Failed, "Vault: failed with InvalidOperationException: socket closed"),
                new ChainResolutionEntry("Later", ChainSourceStatus.NotTried, null),
            ],
            chain.LastResolution.Entries);
        Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == ChainLog.SourceFailedId);
    }

    [Fact]
    public void DefaultChain_NullContext_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => DefaultCredentialChain.Create(null!));
    }

    [Fact]
    public void DefaultChain_BuiltLinksOwned_CustomSourcesNot_InDefinitionOrder()
    {
        var custom = FakeCredentialSource.Returning(FakeCredentialSource.Credentials());
        var options = new WorkloadCredentialsOptions { CustomSources = { custom } };
        options.InstanceMetadata.Endpoint = new Uri("http://127.0.0.1:1");

        using var chain = Assert.IsType<CredentialChain>(DefaultCredentialChain.Create(NetworkSafety.Guarded(options, new TestEnvironment())));

        Assert.Same(custom, chain.Links[0].Source);
        Assert.False(chain.Links[0].Owned);
        Assert.All(chain.Links.Skip(1), link => Assert.True(link.Owned, link.Name));
        Assert.Equal(["StaticKeys", "Environment", "Profile", "WebIdentity", "Container", "InstanceMetadata"], chain.Links.Skip(1).Select(link => link.Name));
        Assert.Equal(["StaticKeys", "Environment", "Profile", "WebIdentity", "Sso", "Container", "InstanceMetadata", "AssumeRole"], SourceDefinitions.All.Select(d => d.Name));
        Assert.Equal(
            SourceDefinitions.All.Where(d => !d.WrapsChain && d.IsChainLink).Select(d => d.IssuesLongTermKeys),
            chain.Links.Skip(1).Select(link => link.IsKeys));
    }

    [Fact]
    public void Validate_NullOptions_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new WorkloadCredentialsOptionsCustomValidator().Validate(null, null!));
    }

    [Fact]
    public void Validate_CacheOptions_NamedUnderTheCacheKey()
    {
        var options = new WorkloadCredentialsOptions();
        options.Cache.RefreshTimeout = TimeSpan.Zero;

        ValidateOptionsResult result = new WorkloadCredentialsOptionsCustomValidator(_ => "AWS").Validate(null, options);

        Assert.Equal(["AWS:Cache:RefreshTimeout must lie between 00:00:01 and 01:00:00; it is 00:00:00."], result.Failures);
    }

    [Theory]
    [InlineData("backups", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Validate_OptionsBuiltInCodeUnderAName_FailuresNameTheRegistration(string? name, bool prefixed)
    {
        var options = new WorkloadCredentialsOptions();
        options.Sts.MaxRetryAttempts = 11;

        ValidateOptionsResult result = new WorkloadCredentialsOptionsCustomValidator().Validate(name, options);

        string failure = Assert.Single(result.Failures!);
        Assert.Equal((prefixed ? "Credential source 'backups': " : string.Empty) + "Sts.MaxRetryAttempts must lie between 0 and 10 (got 11).", failure);
    }

    [Fact]
    public void Validate_OptionsBoundFromConfigurationUnderAName_FailuresNameTheKeyOnly()
    {
        var options = new WorkloadCredentialsOptions();
        options.Sts.MaxRetryAttempts = 11;

        ValidateOptionsResult result = new WorkloadCredentialsOptionsCustomValidator(_ => "AWS:Backups").Validate("backups", options);

        Assert.Equal(["AWS:Backups:Sts:MaxRetryAttempts must lie between 0 and 10 (got 11)."], result.Failures);
    }

    [Fact]
    public void ThrowIfInvalid_ChecksTheDataAnnotationsAndTheStsRules()
    {
        var annotated = new WorkloadCredentialsOptions();
        annotated.Cache.RefreshJitter = 2;
        var sts = new WorkloadCredentialsOptions();
        sts.Sts.MaxRetryAttempts = -1;

        OptionsValidationException jitter = Assert.Throws<OptionsValidationException>(() => WorkloadCredentialsOptionsCustomValidator.ThrowIfInvalid(annotated, []));
        OptionsValidationException retries = Assert.Throws<OptionsValidationException>(() => WorkloadCredentialsOptionsCustomValidator.ThrowIfInvalid(sts, []));
        WorkloadCredentialsOptionsCustomValidator.ThrowIfInvalid(new WorkloadCredentialsOptions(), SourceDefinitions.All);

        Assert.Contains("RefreshJitter", Assert.Single(jitter.Failures), StringComparison.Ordinal);
        Assert.Equal(["Sts.MaxRetryAttempts must lie between 0 and 10 (got -1)."], retries.Failures);
    }

    private sealed class ContextSource(CredentialSourceContext context, bool available) : IAwsCredentialSource, IBuiltFromContext
    {
        public CredentialSourceContext? BuiltFrom => context;

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) => available
            ? new ValueTask<AwsCredentials>(FakeCredentialSource.Credentials())
            : ValueTask.FromException<AwsCredentials>(new CredentialUnavailableException("Context: no."));
    }
}
