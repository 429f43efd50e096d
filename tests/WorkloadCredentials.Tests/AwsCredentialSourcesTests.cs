using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests;

public sealed class AwsCredentialSourcesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Cache_CustomSource_FetchesOnceForManyCalls()
    {
        var source = FakeCredentialSource.Returning(FakeCredentialSource.Credentials(expiration: _time.GetUtcNow().AddHours(1)));
        using var sut = (IDisposable)AwsCredentialSources.Cache(source, timeProvider: _time);
        var cache = (ICachedAwsCredentialSource)sut;

        for (int i = 0; i < 10; i++)
        {
            _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public void Cache_NullSource_Throws()
    {
        Assert.Equal("source", Assert.Throws<ArgumentNullException>(() => AwsCredentialSources.Cache(null!)).ParamName);
    }

    [Fact]
    public async Task Chain_TriesSourcesInOrder()
    {
        var second = FakeCredentialSource.Returning(FakeCredentialSource.Credentials("AKIDCHAIN00000002"));

        IAwsCredentialSource sut = AwsCredentialSources.Chain(FakeCredentialSource.Unavailable("first: no."), second);

        Assert.Equal("AKIDCHAIN00000002", (await sut.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
    }

    [Fact]
    public async Task Chain_NothingResolves_NamesSourcesByType()
    {
        IAwsCredentialSource sut = AwsCredentialSources.Chain(FakeCredentialSource.Unavailable("no keys here."));

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => sut.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("\n- FakeCredentialSource: no keys here.\n", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chain_NullItem_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => AwsCredentialSources.Chain(FakeCredentialSource.Unavailable("x"), null!));
    }

    [Fact]
    public async Task CreateDefault_StaticKeys_ResolvesThroughTheCache()
    {
        ICachedAwsCredentialSource sut = AwsCredentialSources.CreateDefault(
            o =>
            {
                o.StaticKeys.AccessKeyId = "AKIACONSOLEJOB00001";
                o.StaticKeys.SecretAccessKey = "console-job-secret";
            },
            _time);
        using var disposable = Assert.IsAssignableFrom<IDisposable>(sut);

        AwsCredentials credentials = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("AKIACONSOLEJOB00001", credentials.AccessKeyId);
        Assert.Equal("StaticKeys", credentials.SourceName);
    }

    [Fact]
    public async Task CreateDefault_Context_UsesItsEnvironment()
    {
        var context = NetworkSafety.Guarded(
            new WorkloadCredentialsOptions(),
            new TestEnvironment { ["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENT0001", ["AWS_SECRET_ACCESS_KEY"] = "env-secret" },
            _time);
        using var sut = AwsCredentialSources.CreateDefault(context);

        AwsCredentials credentials = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("AKIAENVIRONMENT0001", credentials.AccessKeyId);
    }

    [Fact]
    public void CreateDefault_KeyIdWithoutSecret_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => AwsCredentialSources.CreateDefault(o => o.StaticKeys.AccessKeyId = "AKIAHALF"));

        Assert.Equal(["StaticKeys.SecretAccessKey is required when StaticKeys.AccessKeyId is set."], ex.Failures);
    }

    [Fact]
    public void CreateDefault_SecretWithoutKeyId_ThrowsWithoutTheSecret()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => AwsCredentialSources.CreateDefault(o => o.StaticKeys.SecretAccessKey = "do-not-print-me"));

        Assert.Equal(["StaticKeys.AccessKeyId is required when StaticKeys.SecretAccessKey is set."], ex.Failures);
        Assert.DoesNotContain("do-not-print-me", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateDefault_JitterOutOfRange_ThrowsFromDataAnnotations()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => AwsCredentialSources.CreateDefault(o => o.Cache.RefreshJitter = 2));

        string failure = Assert.Single(ex.Failures);
        Assert.Contains("RefreshJitter", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateDefault_RefreshWindowOutOfRange_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => AwsCredentialSources.CreateDefault(o => o.Cache.RefreshBeforeExpiry = TimeSpan.FromHours(13)));

        Assert.Equal(["Cache.RefreshBeforeExpiry must lie between 00:00:00 and 12:00:00; it is 13:00:00."], ex.Failures);
    }

    [Theory]
    [InlineData(0.0, "00:00:00")]
    [InlineData(7200.0, "02:00:00")]
    public void CreateDefault_RefreshTimeoutOutOfRange_ThrowsNamingTheOption(double seconds, string shown)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => AwsCredentialSources.CreateDefault(o => o.Cache.RefreshTimeout = TimeSpan.FromSeconds(seconds)));

        Assert.Equal([$"Cache.RefreshTimeout must lie between 00:00:01 and 01:00:00; it is {shown}."], ex.Failures);
    }
}
