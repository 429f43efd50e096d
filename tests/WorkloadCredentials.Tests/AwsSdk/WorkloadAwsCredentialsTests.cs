using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.AwsSdk;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.AwsSdk;

public sealed class WorkloadAwsCredentialsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<IDisposable> _disposables = [];

    public void Dispose()
    {
        foreach (IDisposable disposable in _disposables)
        {
            disposable.Dispose();
        }
    }

    private AwsCredentials Credentials(string accessKeyId = "AKIDADAPTER000001") =>
        new(accessKeyId, "adapter-secret-" + accessKeyId, "adapter-token-" + accessKeyId, _time.GetUtcNow().AddHours(1), "Fake") { AccountId = "123456789012" };

    private ICachedAwsCredentialSource Cached(IAwsCredentialSource source)
    {
        ICachedAwsCredentialSource cache = AwsCredentialSources.Cache(source, timeProvider: _time);
        _disposables.Add((IDisposable)cache);
        return cache;
    }

    private static async Task WarmAsync(WorkloadAwsCredentials sut, IAwsCredentialSource cache)
    {
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        for (int i = 0; i < 100; i++)
        {
            _ = sut.GetCredentials();
            _ = await sut.GetCredentialsAsync();
        }
    }

    [Fact]
    public async Task GetCredentials_MapsEveryField()
    {
        AwsCredentials credentials = Credentials();
        var sut = new WorkloadAwsCredentials(Cached(FakeCredentialSource.Returning(credentials)));

        ImmutableCredentials immutable = await sut.GetCredentialsAsync();

        Assert.Equal(credentials.AccessKeyId, immutable.AccessKey);
        Assert.Equal(credentials.SecretAccessKey, immutable.SecretKey);
        Assert.Equal(credentials.SessionToken, immutable.Token);
        Assert.True(immutable.UseToken);
        Assert.Equal("123456789012", immutable.AccountId);
        Assert.Equal(credentials.Expiration!.Value.UtcDateTime, sut.Expiration);
        Assert.Equal(DateTimeKind.Utc, sut.Expiration!.Value.Kind);
    }

    [Fact]
    public void Ctor_NullSource_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new WorkloadAwsCredentials(null!));
    }

    [Fact]
    public async Task GetCredentialsAsync_CacheHit_ReturnsTheSameCompletedTask()
    {
        var sut = new WorkloadAwsCredentials(Cached(FakeCredentialSource.Returning(Credentials())));
        ImmutableCredentials first = await sut.GetCredentialsAsync();

        Task<ImmutableCredentials> a = sut.GetCredentialsAsync();
        Task<ImmutableCredentials> b = sut.GetCredentialsAsync();

        Assert.True(a.IsCompletedSuccessfully);
        Assert.Same(a, b);
        Assert.Same(first, await a);
        Assert.Same(first, sut.GetCredentials());
    }

    [Fact]
    public async Task GetCredentialsAsync_CacheHit_AllocatesNothing()
    {
        ICachedAwsCredentialSource cache = Cached(FakeCredentialSource.Returning(Credentials()));
        var sut = new WorkloadAwsCredentials(cache);
        await WarmAsync(sut, cache);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            _ = sut.GetCredentialsAsync();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task GetCredentials_CacheHit_AllocatesNothing()
    {
        ICachedAwsCredentialSource cache = Cached(FakeCredentialSource.Returning(Credentials()));
        var sut = new WorkloadAwsCredentials(cache);
        await WarmAsync(sut, cache);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            _ = sut.GetCredentials();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task GetCredentialsAsync_NewSnapshot_NewSdkCredentials()
    {
        int fetches = 0;
        var source = new FakeCredentialSource(_ => new ValueTask<AwsCredentials>(Credentials("AKIDADAPTER00000" + Interlocked.Increment(ref fetches))));
        ICachedAwsCredentialSource cache = Cached(source);
        var sut = new WorkloadAwsCredentials(cache);
        ImmutableCredentials first = await sut.GetCredentialsAsync();

        cache.Invalidate(first.AccessKey);
        ImmutableCredentials second = await sut.GetCredentialsAsync();

        Assert.Equal("AKIDADAPTER000001", first.AccessKey);
        Assert.Equal("AKIDADAPTER000002", second.AccessKey);
        Assert.Same(second, sut.GetCredentials());
    }

    [Fact]
    public async Task GetCredentials_UncachedSourceReturningTheSameInstance_ReusesTheSdkView()
    {
        var sut = new WorkloadAwsCredentials(FakeCredentialSource.Returning(Credentials()));

        ImmutableCredentials first = sut.GetCredentials();

        Assert.Same(first, sut.GetCredentials());
        Assert.Same(first, await sut.GetCredentialsAsync());
    }

    [Fact]
    public async Task GetCredentials_SourceCompletesLater_WaitsForIt()
    {
        AwsCredentials credentials = Credentials();
        var source = new FakeCredentialSource(_ => new ValueTask<AwsCredentials>(Task.Run(async () =>
        {
            await Task.Yield();
            return credentials;
        })));
        var sut = new WorkloadAwsCredentials(source);

        ImmutableCredentials sync = sut.GetCredentials();
        ImmutableCredentials async = await sut.GetCredentialsAsync();

        Assert.Equal(credentials.AccessKeyId, sync.AccessKey);
        Assert.Same(sync, async);
    }

    [Fact]
    public async Task GetCredentials_SourceUnavailable_Throws()
    {
        var sut = new WorkloadAwsCredentials(FakeCredentialSource.Unavailable("Fake: nothing."));

        Assert.Equal("Fake: nothing.", Assert.Throws<CredentialUnavailableException>(sut.GetCredentials).Message);
        await Assert.ThrowsAsync<CredentialUnavailableException>(sut.GetCredentialsAsync);
        Assert.Null(sut.Expiration);
    }
}
