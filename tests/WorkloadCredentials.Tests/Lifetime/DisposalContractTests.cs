using WorkloadCredentials.Caching;
using WorkloadCredentials.Container;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Lifetime;

/// <summary>
/// Issue 10, item 2 (STYLE R30): every source is disposable (a custom one that holds nothing need not say so), owners dispose what
/// they own once, and a disposed source answers <see cref="ObjectDisposedException"/> naming itself.
/// </summary>
public sealed class DisposalContractTests
{
    [Fact]
    public async Task CustomSource_HoldingNothing_UsingCompilesAndDisposingDoesNothing()
    {
        await using (IAwsCredentialSource source = new NothingHeld())
        {
            Assert.Equal("AKIDNOTHINGHELD0001", (await source.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
        }

        using IAwsCredentialSource again = new NothingHeld();
        again.Dispose();
        Assert.Equal("AKIDNOTHINGHELD0001", (await again.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
    }

    [Fact]
    public async Task CustomSource_OwnPublicDispose_WinsOverTheDefault_ForDisposeAndDisposeAsync()
    {
        var counting = new CountingSource();
        IAwsCredentialSource source = counting;

        source.Dispose();
        await source.DisposeAsync();

        // Interface mapping: the class's own public Dispose implements IDisposable.Dispose; the default DisposeAsync calls it.
        Assert.Equal(2, counting.Disposed);
    }

    [Fact]
    public async Task Chain_UsingVar_DisposesEverySourceItWasGiven_Once()
    {
        var first = new CountingSource();
        var second = new CountingSource();
        using (IAwsCredentialSource chain = AwsCredentialSources.Chain(first, second))
        {
            _ = await chain.GetCredentialsAsync(TestContext.Current.CancellationToken);
            chain.Dispose();
        }

        Assert.Equal(1, first.Disposed);
        Assert.Equal(1, second.Disposed);
    }

    [Fact]
    public async Task Chain_DisposeAsync_DisposesAsynchronously_ThenAnswersObjectDisposedNamingTheChain()
    {
        var asynchronous = new AsyncCountingSource();
        IAwsCredentialSource chain = AwsCredentialSources.Chain(asynchronous);

        await chain.DisposeAsync();
        await chain.DisposeAsync();

        Assert.Equal(1, asynchronous.DisposedAsync);
        ObjectDisposedException error = await Assert.ThrowsAsync<ObjectDisposedException>(async () => await chain.GetCredentialsAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Chain", error.ObjectName);
    }

    [Fact]
    public void Chain_Dispose_OneSourceThrows_DisposesTheOthers_ThenRethrowsIt()
    {
        var first = new CountingSource();
        var last = new CountingSource();
        IAwsCredentialSource chain = AwsCredentialSources.Chain(first, new ThrowingOnDispose("first failure"), last);

        var error = Assert.Throws<InvalidOperationException>(chain.Dispose);

        Assert.Equal("first failure", error.Message);
        Assert.Equal(1, first.Disposed);
        Assert.Equal(1, last.Disposed);
        chain.Dispose(); // idempotent: nothing is disposed twice, nothing rethrown
        Assert.Equal(1, last.Disposed);
    }

    [Fact]
    public async Task Chain_DisposeAsync_TwoSourcesThrow_DisposesTheOthers_ThenAggregates()
    {
        var middle = new AsyncCountingSource();
        var last = new CountingSource();
        IAwsCredentialSource chain = AwsCredentialSources.Chain(new ThrowingOnDispose("one"), middle, new ThrowingOnDispose("two"), last);

        var error = await Assert.ThrowsAsync<AggregateException>(async () => await chain.DisposeAsync());

        Assert.Equal(["one", "two"], error.InnerExceptions.Select(e => e.Message));
        Assert.Equal(1, middle.DisposedAsync);
        Assert.Equal(1, last.Disposed);
    }

    [Fact]
    public async Task Cache_OfChain_DisposesDownToTheSources()
    {
        var source = new CountingSource();
        await using (ICachedAwsCredentialSource cache = AwsCredentialSources.Cache(AwsCredentialSources.Chain(source)))
        {
            _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, source.Disposed);
    }

    [Fact]
    public async Task CreateDefault_CustomSourcesOfTheOptions_StayTheApplications()
    {
        var custom = new CountingSource();
        using (ICachedAwsCredentialSource cache = AwsCredentialSources.CreateDefault(o => o.CustomSources.Add(custom)))
        {
            Assert.Equal("AKIDCOUNTINGSOURCE01", (await cache.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
        }

        Assert.Equal(0, custom.Disposed);
    }

    [Fact]
    public async Task CacheDisposeAsync_RefreshUnderWay_WaitsForItBeforeDisposingTheSource()
    {
        var slow = new SlowSource(TimeSpan.FromMilliseconds(300));
        ICachedAwsCredentialSource cache = AwsCredentialSources.Cache(slow);
        Task<AwsCredentials> call = cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask();
        await slow.Started.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        await cache.DisposeAsync();

        Assert.True(slow.FinishedBeforeDispose, "the source was disposed while its refresh was still running");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => call);
    }

    [Fact]
    public async Task CacheDisposeAsync_AbandonedCallStillRunning_WaitsForEveryCallBeforeDisposingTheSource()
    {
        // The first call outlives its budget (abandoned, still running); a second refresh makes another call. Disposal must wait
        // for both, not only for the newest.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var source = new GatedSource();
        ICachedAwsCredentialSource cache = AwsCredentialSources.Cache(source, new CredentialCacheOptions { RefreshTimeout = TimeSpan.FromSeconds(1) }, time);
        CancellationToken ct = TestContext.Current.CancellationToken;

        Task<AwsCredentials> first = cache.GetCredentialsAsync(ct).AsTask();
        await source.Called(1).WaitAsync(TimeSpan.FromSeconds(10), ct);
        time.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<AwsCredentialException>(() => first.WaitAsync(TimeSpan.FromSeconds(10), ct));
        Task<AwsCredentials>? second = null;
        for (int i = 0; i < 100 && source.Calls < 2; i++)
        {
            time.Advance(TimeSpan.FromMinutes(1)); // past any retry backoff
            second = cache.GetCredentialsAsync(ct).AsTask();
            await Task.WhenAny(source.Called(2), Task.Delay(50, ct));
        }

        Assert.Equal(2, source.Calls);
        Task disposal = cache.DisposeAsync().AsTask();
        source.Release(2);
        await Task.Delay(300, ct);
        Assert.False(disposal.IsCompleted, "disposal ended while the abandoned first call was still running");
        source.Release(1);
        await disposal.WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.True(source.AllEndedBeforeDispose, "the source was disposed while one of its calls was still running");
        _ = second;
    }

    [Fact]
    public async Task CacheDisposeAsync_RefreshThatNeverEnds_DisposesAfterTheBound()
    {
        var stuck = new SlowSource(Timeout.InfiniteTimeSpan);
        ICachedAwsCredentialSource cache = AwsCredentialSources.Cache(stuck);
        _ = cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask();
        await stuck.Started.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        await cache.DisposeAsync();

        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
        Assert.True(stuck.Disposed);
    }

    [Fact]
    public async Task ContainerSource_DisposedTwice_ThenAnswersObjectDisposedNamingTheSource()
    {
        var options = new WorkloadCredentialsOptions();
        options.Container.FullUri = new Uri("http://127.0.0.1:9/credentials");
        var source = new ContainerCredentialSource(NetworkSafety.Guarded(options, new DictionaryEnvironment()));

        source.Dispose();
        await ((IAwsCredentialSource)source).DisposeAsync();

        ObjectDisposedException error = await Assert.ThrowsAsync<ObjectDisposedException>(async () => await source.GetCredentialsAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Container", error.ObjectName);
        Assert.StartsWith("Container: the credential source has been disposed", error.Message, StringComparison.Ordinal);
    }

    private static AwsCredentials Credentials(string keyId) =>
        new(keyId, "contract-secret", "contract-token", DateTimeOffset.UtcNow.AddHours(1), "Contract");

    /// <summary>Holds nothing, so it implements neither Dispose nor DisposeAsync.</summary>
    private sealed class NothingHeld : IAwsCredentialSource
    {
        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) => new(Credentials("AKIDNOTHINGHELD0001"));
    }

    private sealed class CountingSource : IAwsCredentialSource
    {
        private int _disposed;

        public int Disposed => Volatile.Read(ref _disposed);

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) => new(Credentials("AKIDCOUNTINGSOURCE01"));

        public void Dispose() => Interlocked.Increment(ref _disposed);
    }

    /// <summary>Each call waits for its own gate (ignoring cancellation, as a source stuck in I/O would); records whether every call had ended at disposal.</summary>
    private sealed class GatedSource : IAwsCredentialSource
    {
        private readonly TaskCompletionSource[] _called = [.. Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
        private readonly TaskCompletionSource[] _gates = [.. Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
        private int _calls;
        private int _running;

        public int Calls => Volatile.Read(ref _calls);

        public bool AllEndedBeforeDispose { get; private set; }

        public Task Called(int call) => _called[call - 1].Task;

        public void Release(int call) => _gates[call - 1].TrySetResult();

        public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
        {
            int call = Interlocked.Increment(ref _calls);
            Interlocked.Increment(ref _running);
            _called[call - 1].TrySetResult();
            await _gates[call - 1].Task;
            Interlocked.Decrement(ref _running);
            return Credentials("AKIDGATEDSOURCE00001");
        }

        public void Dispose() => AllEndedBeforeDispose = Volatile.Read(ref _running) == 0;
    }

    private sealed class ThrowingOnDispose(string message) : IAwsCredentialSource
    {
        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) => new(Credentials("AKIDTHROWSONDISPOSE1"));

        public void Dispose() => throw new InvalidOperationException(message);
    }

    private sealed class AsyncCountingSource : IAwsCredentialSource
    {
        private int _disposedAsync;

        public int DisposedAsync => Volatile.Read(ref _disposedAsync);

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) => new(Credentials("AKIDASYNCSOURCE0001"));

        public async ValueTask DisposeAsync()
        {
            await Task.Yield();
            Interlocked.Increment(ref _disposedAsync);
        }
    }

    /// <summary>Takes <c>delay</c> to answer and ignores cancellation (as a source stuck in I/O would); records whether it ended before its disposal.</summary>
    private sealed class SlowSource(TimeSpan delay) : IAwsCredentialSource
    {
        private volatile bool _finished;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool FinishedBeforeDispose { get; private set; }

        public bool Disposed { get; private set; }

        public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
        {
            Started.TrySetResult();
            await Task.Delay(delay, CancellationToken.None);
            _finished = true;
            return Credentials("AKIDSLOWSOURCE00001");
        }

        public void Dispose()
        {
            FinishedBeforeDispose = _finished;
            Disposed = true;
        }
    }
}
