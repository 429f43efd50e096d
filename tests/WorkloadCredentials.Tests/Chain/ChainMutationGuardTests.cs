using Microsoft.Extensions.Logging.Testing;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Chain;

/// <summary>
/// Issue 15, item 3: what the chain's own tests left unpinned: disposal of owned sources only (once, every one, the errors
/// rethrown whole or aggregated), one-line reasons, and the chosen source's errors.
/// </summary>
public sealed class ChainMutationGuardTests
{
    private readonly FakeLogger _logger = new();

    [Fact]
    public async Task Dispose_DisposesOwnedSourcesOnly_Once_ThenServesNothing()
    {
        var owned = new DisposalProbe();
        var foreign = new DisposalProbe();
        var chain = new CredentialChain([new ChainLink("Foreign", foreign), new ChainLink("Owned", owned, Owned: true)], new CredentialTelemetry(_logger));

        chain.Dispose();
        chain.Dispose();
        await chain.DisposeAsync();

        Assert.Equal((1, 0), (owned.Disposals, owned.AsyncDisposals));
        Assert.Equal((0, 0), (foreign.Disposals, foreign.AsyncDisposals));
        ObjectDisposedException ex = await Assert.ThrowsAsync<ObjectDisposedException>(() => chain.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("has been disposed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, owned.Calls + foreign.Calls);
    }

    [Fact]
    public async Task DisposeAsync_DisposesOwnedSourcesOnly_Once()
    {
        var owned = new DisposalProbe();
        var foreign = new DisposalProbe();
        var chain = new CredentialChain([new ChainLink("Owned", owned, Owned: true), new ChainLink("Foreign", foreign)], new CredentialTelemetry(_logger));

        await chain.DisposeAsync();
        await chain.DisposeAsync();
        chain.Dispose();

        Assert.Equal((0, 1), (owned.Disposals, owned.AsyncDisposals));
        Assert.Equal((0, 0), (foreign.Disposals, foreign.AsyncDisposals));
    }

    [Fact]
    public void Dispose_OneOwnedSourceThrows_ItsExceptionRethrownAsIs_TheOthersStillDisposed()
    {
        var error = new InvalidOperationException("handle already closed");
        var failing = new DisposalProbe { Failure = error };
        var after = new DisposalProbe();
        var chain = new CredentialChain([new ChainLink("Failing", failing, Owned: true), new ChainLink("After", after, Owned: true)], new CredentialTelemetry(_logger));

        InvalidOperationException thrown = Assert.Throws<InvalidOperationException>(chain.Dispose);

        Assert.Same(error, thrown);
        Assert.Equal(1, after.Disposals);
    }

    [Fact]
    public async Task DisposeAsync_OneOwnedSourceThrows_ItsExceptionRethrownAsIs_TheOthersStillDisposed()
    {
        var error = new InvalidOperationException("handle already closed");
        var failing = new DisposalProbe { Failure = error };
        var after = new DisposalProbe();
        var chain = new CredentialChain([new ChainLink("Failing", failing, Owned: true), new ChainLink("After", after, Owned: true)], new CredentialTelemetry(_logger));

        InvalidOperationException thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => chain.DisposeAsync().AsTask());

        Assert.Same(error, thrown);
        Assert.Equal(1, after.AsyncDisposals);
    }

    [Fact]
    public async Task Dispose_SeveralOwnedSourcesThrow_OneAggregateWithEach()
    {
        var first = new DisposalProbe { Failure = new InvalidOperationException("first") };
        var second = new DisposalProbe { Failure = new IOException("second") };
        ChainLink[] links = [new ChainLink("First", first, Owned: true), new ChainLink("Second", second, Owned: true)];

        AggregateException sync = Assert.Throws<AggregateException>(new CredentialChain(links, CredentialTelemetry.Null).Dispose);
        AggregateException async = await Assert.ThrowsAsync<AggregateException>(() => new CredentialChain(links, CredentialTelemetry.Null).DisposeAsync().AsTask());

        foreach (AggregateException aggregate in new[] { sync, async })
        {
            Assert.StartsWith("Several credential sources of the chain failed to dispose.", aggregate.Message, StringComparison.Ordinal);
            Assert.Equal([first.Failure, second.Failure], aggregate.InnerExceptions);
        }
    }

    [Fact]
    public async Task Unavailable_ReasonOnOneLine_PrefixedWithTheSourceOnlyWhenItDoesNotStartWithIt()
    {
        var chain = new CredentialChain(
            [
                new ChainLink("Vault", FakeCredentialSource.Unavailable("Vault: sealed")),
                new ChainLink("Disk", FakeCredentialSource.Unavailable("  no file\r\rat /keys  ")),
                new ChainLink("Pipe", FakeCredentialSource.Unavailable("Pipe\rclosed")),
            ],
            new CredentialTelemetry(_logger));

        CredentialUnavailableException ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => chain.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(["Vault: sealed", "Disk: no file at /keys", "Pipe closed"], chain.LastResolution!.Entries.Select(e => e.Reason));
        Assert.Null(chain.LastResolution.FailedSourceName);
        Assert.Null(chain.LastResolution.IgnoredRoleSetting);
        Assert.Contains("\n- Disk: no file at /keys\n", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unavailable_SingleLineMessageKeptAsIs()
    {
        var chain = new CredentialChain([new ChainLink("Disk", FakeCredentialSource.Unavailable("  spaced  out  "))], CredentialTelemetry.Null);

        await Assert.ThrowsAsync<CredentialUnavailableException>(() => chain.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("Disk:   spaced  out  ", Assert.Single(chain.LastResolution!.Entries).Reason);
    }

    [Fact]
    public async Task ChosenSource_LaterAwsError_RethrownAsIs_LaterCallerCancellation_NotWrapped()
    {
        var error = new AwsCredentialException("Vault: access denied.", "Vault", isRecoverable: false);
        int call = 0;
        using var cts = new CancellationTokenSource();
        var source = new FakeCredentialSource(ct => Interlocked.Increment(ref call) switch
        {
            1 => new ValueTask<AwsCredentials>(FakeCredentialSource.Credentials()),
            2 => ValueTask.FromException<AwsCredentials>(error),
            _ => ValueTask.FromException<AwsCredentials>(new OperationCanceledException(ct)),
        });
        var chain = new CredentialChain([new ChainLink("Vault", source)], CredentialTelemetry.Null);
        _ = await chain.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Same(error, await Assert.ThrowsAsync<AwsCredentialException>(() => chain.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask()));

        await cts.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => chain.GetCredentialsAsync(cts.Token).AsTask());
        Assert.Equal(3, source.Calls);
        Assert.Equal("Vault", chain.ChosenSourceName);
    }

    [Fact]
    public async Task ChosenSource_OwnCancellationNobodyAskedFor_WrappedAsAFailure()
    {
        int call = 0;
        var canceled = new OperationCanceledException("timed out");
        var source = new FakeCredentialSource(_ => Interlocked.Increment(ref call) == 1
            ? new ValueTask<AwsCredentials>(FakeCredentialSource.Credentials())
            : ValueTask.FromException<AwsCredentials>(canceled));
        var chain = new CredentialChain([new ChainLink("Slow", source)], CredentialTelemetry.Null);
        _ = await chain.GetCredentialsAsync(TestContext.Current.CancellationToken);

        AwsCredentialException ex = await Assert.ThrowsAsync<AwsCredentialException>(() => chain.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("Slow: failed with OperationCanceledException: timed out", ex.Message);
        Assert.Same(canceled, ex.InnerException);
    }

    [Fact]
    public void Resolution_NamesTheChosenAndTheFailedSource()
    {
        var chosen = new ChainResolution(
            [new("A", ChainSourceStatus.Unavailable, "A: no"), new("B", ChainSourceStatus.Chosen, null), new("C", ChainSourceStatus.NotTried, null)],
            "AWS_ROLE_ARN=arn:aws:iam::123456789012:role/app");
        var failed = new ChainResolution([new("A", ChainSourceStatus.Failed, "A: denied"), new("B", ChainSourceStatus.NotTried, null)], null);

        Assert.Equal(("B", (string?)null), (chosen.ChosenSourceName, chosen.FailedSourceName));
        Assert.Equal("AWS_ROLE_ARN=arn:aws:iam::123456789012:role/app", chosen.IgnoredRoleSetting);
        Assert.Equal(((string?)null, "A"), (failed.ChosenSourceName, failed.FailedSourceName));
    }

    /// <summary>A source that records how it was disposed, and can fail to.</summary>
    private sealed class DisposalProbe : IAwsCredentialSource
    {
        private int _calls;

        public Exception? Failure { get; init; }

        public int Calls => Volatile.Read(ref _calls);

        public int Disposals { get; private set; }

        public int AsyncDisposals { get; private set; }

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return new ValueTask<AwsCredentials>(FakeCredentialSource.Credentials());
        }

        public void Dispose()
        {
            Disposals++;
            if (Failure is not null)
            {
                throw Failure;
            }
        }

        public ValueTask DisposeAsync()
        {
            AsyncDisposals++;
            return Failure is null ? ValueTask.CompletedTask : ValueTask.FromException(Failure);
        }
    }
}
