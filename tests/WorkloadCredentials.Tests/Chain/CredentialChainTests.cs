using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.Chain;

public sealed class CredentialChainTests
{
    private readonly FakeLogger _logger = new();

    private CredentialChain CreateSut(params (string Name, IAwsCredentialSource Source)[] links) =>
        new(links.Select(l => new ChainLink(l.Name, l.Source)), new CredentialTelemetry(_logger));

    [Fact]
    public async Task GetCredentialsAsync_SkipsUnavailable_ReturnsFirstThatResolves()
    {
        var first = FakeCredentialSource.Unavailable("First: not configured.");
        var second = FakeCredentialSource.Returning(FakeCredentialSource.Credentials("AKIDSECOND0000001"));
        var third = FakeCredentialSource.Returning(FakeCredentialSource.Credentials("AKIDTHIRD00000001"));
        CredentialChain sut = CreateSut(("First", first), ("Second", second), ("Third", third));

        AwsCredentials credentials = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("AKIDSECOND0000001", credentials.AccessKeyId);
        Assert.Equal((1, 1, 0), (first.Calls, second.Calls, third.Calls));
        Assert.Equal("Second", sut.ChosenSourceName);
        ChainResolution resolution = Assert.IsType<ChainResolution>(sut.LastResolution);
        Assert.Equal("Second", resolution.ChosenSourceName);
        Assert.Equal(
            [
                new ChainResolutionEntry("First", ChainSourceStatus.Unavailable, "First: not configured."),
                new ChainResolutionEntry("Second", ChainSourceStatus.Chosen, null),
                new ChainResolutionEntry("Third", ChainSourceStatus.NotTried, null),
            ],
            resolution.Entries);
    }

    [Fact]
    public async Task GetCredentialsAsync_NothingResolves_OneExceptionListingEverySource()
    {
        CredentialChain sut = CreateSut(
            ("StaticKeys", FakeCredentialSource.Unavailable("StaticKeys: no explicit keys are configured.")),
            ("Environment", FakeCredentialSource.Unavailable("Environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set.")),
            ("Custom", FakeCredentialSource.Unavailable("vault is\nnot reachable")));

        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => sut.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(
            "No AWS credentials were found. Every source of the chain was tried, in order:\n" +
            "- StaticKeys: no explicit keys are configured.\n" +
            "- Environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set.\n" +
            "- Custom: vault is not reachable\n" +
            "Configure one of these sources.",
            ex.Message);
        Assert.Equal("Chain", ex.SourceName);
        Assert.Equal(3, Assert.IsType<AggregateException>(ex.InnerException).InnerExceptions.Count);
        Assert.Null(sut.LastResolution!.ChosenSourceName);
        Assert.All(sut.LastResolution.Entries, e => Assert.Equal(ChainSourceStatus.Unavailable, e.Status));
        Assert.Null(sut.ChosenSourceName);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == ChainLog.NoSourceResolvedId);
        Assert.Equal(3, _logger.Collector.GetSnapshot().Count(r => r.Id.Id == ChainLog.SourceUnavailableId && r.Level == LogLevel.Debug));
    }

    [Fact]
    public async Task GetCredentialsAsync_EmptyChain_ThrowsUnavailable()
    {
        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => CreateSut().GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("No AWS credentials were found: the chain has no sources.", ex.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_ConfiguredSourceFails_StopsWithItsOwnError()
    {
        var failure = new AwsCredentialException("WebIdentity: AccessDenied from STS.", "WebIdentity", isRecoverable: false);
        var later = FakeCredentialSource.Returning(FakeCredentialSource.Credentials());
        CredentialChain sut = CreateSut(
            ("StaticKeys", FakeCredentialSource.Unavailable("StaticKeys: no explicit keys are configured.")),
            ("WebIdentity", FakeCredentialSource.Throwing(failure)),
            ("InstanceMetadata", later));

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => sut.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Same(failure, ex);
        Assert.Equal(0, later.Calls);
        Assert.Equal("WebIdentity", sut.LastResolution!.FailedSourceName);
        Assert.Equal(
            [ChainSourceStatus.Unavailable, ChainSourceStatus.Failed, ChainSourceStatus.NotTried],
            sut.LastResolution.Entries.Select(e => e.Status));
        FakeLogRecord failed = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == ChainLog.SourceFailedId);
        Assert.Equal(LogLevel.Warning, failed.Level);
    }

    [Fact]
    public async Task GetCredentialsAsync_ForeignException_WrappedNamingTheSource()
    {
        var cause = new InvalidOperationException("socket closed");
        CredentialChain sut = CreateSut(("Vault", FakeCredentialSource.Throwing(cause)), ("Later", FakeCredentialSource.Returning(FakeCredentialSource.Credentials())));

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => sut.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("Vault: failed with InvalidOperationException: socket closed", ex.Message);
        Assert.Equal("Vault", ex.SourceName);
        Assert.Same(cause, ex.InnerException);
    }

    [Fact]
    public async Task GetCredentialsAsync_SourceTimesOutOnItsOwn_FailsNamingTheSource()
    {
        // Cancellation the caller did not ask for (a source's own timeout) is a failure of that source, not a cancellation:
        // the caller must not see an OperationCanceledException for a token it never cancelled (STYLE R11).
        var canceled = new OperationCanceledException("timed out");
        var later = FakeCredentialSource.Returning(FakeCredentialSource.Credentials());
        CredentialChain sut = CreateSut(("Slow", FakeCredentialSource.Throwing(canceled)), ("Later", later));

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => sut.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("Slow: failed with OperationCanceledException: timed out", ex.Message);
        Assert.Same(canceled, ex.InnerException);
        Assert.True(ex.IsRecoverable);
        Assert.Equal(0, later.Calls);
    }

    [Fact]
    public async Task GetCredentialsAsync_CanceledBeforeExecution_TriesNoSource()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var source = FakeCredentialSource.Returning(FakeCredentialSource.Credentials());
        CredentialChain sut = CreateSut(("Only", source));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.GetCredentialsAsync(cts.Token).AsTask());

        Assert.Equal(0, source.Calls);
    }

    [Fact]
    public async Task GetCredentialsAsync_ChosenSourceLaterThrowsForeignException_WrappedNamingTheSource()
    {
        bool fail = false;
        var source = new FakeCredentialSource(_ => fail
            ? ValueTask.FromException<AwsCredentials>(new IOException("disk gone"))
            : new ValueTask<AwsCredentials>(FakeCredentialSource.Credentials()));
        CredentialChain sut = CreateSut(("Vault", source));
        _ = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        fail = true;
        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => sut.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("Vault: failed with IOException: disk gone", ex.Message);
        Assert.IsType<IOException>(ex.InnerException);
    }

    [Fact]
    public async Task GetCredentialsAsync_CanceledDuringExecution_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var blocking = new FakeCredentialSource(async ct =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return FakeCredentialSource.Credentials();
        });
        CredentialChain sut = CreateSut(("Unavailable", FakeCredentialSource.Unavailable("Unavailable: no.")), ("Blocking", blocking));

        Task<AwsCredentials> pending = sut.GetCredentialsAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Null(sut.ChosenSourceName);
    }

    [Fact]
    public async Task GetCredentialsAsync_AfterSuccess_SticksToTheChosenSource()
    {
        AwsCredentials early = FakeCredentialSource.Credentials("AKIDEARLY00000001");
        bool earlyAvailable = false;
        var first = new FakeCredentialSource(_ => earlyAvailable
            ? new ValueTask<AwsCredentials>(early)
            : ValueTask.FromException<AwsCredentials>(new CredentialUnavailableException("First: not yet.")));
        var second = FakeCredentialSource.Returning(FakeCredentialSource.Credentials("AKIDSECOND0000001"));
        CredentialChain sut = CreateSut(("First", first), ("Second", second));
        _ = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        earlyAvailable = true;
        AwsCredentials again = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("AKIDSECOND0000001", again.AccessKeyId);
        Assert.Equal((1, 2), (first.Calls, second.Calls));
    }

    [Fact]
    public async Task GetCredentialsAsync_ChosenSourceLaterUnavailable_NeverFallsThroughToAnotherIdentity()
    {
        bool secondWorks = true;
        var second = new FakeCredentialSource(_ => secondWorks
            ? new ValueTask<AwsCredentials>(FakeCredentialSource.Credentials("AKIDSECOND0000001"))
            : ValueTask.FromException<AwsCredentials>(new CredentialUnavailableException("Second: gone.", "Second")));
        var third = FakeCredentialSource.Returning(FakeCredentialSource.Credentials("AKIDTHIRD00000001"));
        CredentialChain sut = CreateSut(("First", FakeCredentialSource.Unavailable("First: no.")), ("Second", second), ("Third", third));
        _ = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        secondWorks = false;
        var ex = await Assert.ThrowsAsync<CredentialUnavailableException>(() => sut.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("Second: gone.", ex.Message);
        Assert.Equal(0, third.Calls);
    }

    [Fact]
    public async Task GetCredentialsAsync_ManyCalls_LogsTheChosenSourceOnce()
    {
        CredentialChain sut = CreateSut(("First", FakeCredentialSource.Unavailable("First: no.")), ("Second", FakeCredentialSource.Returning(FakeCredentialSource.Credentials("AKIDSECOND0000001"))));

        for (int i = 0; i < 5; i++)
        {
            _ = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);
        }

        FakeLogRecord chosen = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == ChainLog.SourceChosenId);
        Assert.Equal(1101, chosen.Id.Id);
        Assert.Equal("SourceChosen", chosen.Id.Name);
        Assert.Equal(LogLevel.Information, chosen.Level);
        Assert.Equal("AWS credentials resolved by source Second (access key AKIDSECO***); the chain keeps using this source", chosen.Message);
    }

    [Fact]
    public async Task GetCredentialsAsync_KeysWinWhileRoleIsSet_WarnsOnceThatTheRoleIsIgnored()
    {
        AwsCredentials keys = FakeCredentialSource.Credentials("AKIDKEYS000000001", "Environment");
        var sut = new CredentialChain(
            [new ChainLink("Environment", FakeCredentialSource.Returning(keys), IsKeys: true)],
            new CredentialTelemetry(_logger),
            () => "AWS_ROLE_ARN=arn:aws:iam::123456789012:role/app");

        _ = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);
        _ = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        FakeLogRecord warning = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == ChainLog.KeysOverrideRoleId);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(
            "Keys from source Environment win over the web identity role set by AWS_ROLE_ARN=arn:aws:iam::123456789012:role/app; the role is ignored. Remove the keys to use the role",
            warning.Message);
        Assert.Equal("AWS_ROLE_ARN=arn:aws:iam::123456789012:role/app", sut.LastResolution!.IgnoredRoleSetting);
    }

    [Fact]
    public async Task GetCredentialsAsync_NonKeysSourceWins_NoRoleWarning()
    {
        int probes = 0;
        var sut = new CredentialChain(
            [new ChainLink("Custom", FakeCredentialSource.Returning(FakeCredentialSource.Credentials()))],
            new CredentialTelemetry(_logger),
            () =>
            {
                probes++;
                return "AWS_ROLE_ARN=arn:aws:iam::123456789012:role/app";
            });

        _ = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, probes);
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Id.Id == ChainLog.KeysOverrideRoleId);
    }

    [Fact]
    public async Task GetCredentialsAsync_Logs_NeverContainSecrets()
    {
        AwsCredentials credentials = FakeCredentialSource.Credentials("AKIDLOGS000000001");
        CredentialChain sut = CreateSut(("First", FakeCredentialSource.Unavailable("First: no.")), ("Second", FakeCredentialSource.Returning(credentials)));

        _ = await sut.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(_logger.Collector.GetSnapshot());
        foreach (FakeLogRecord record in _logger.Collector.GetSnapshot())
        {
            Assert.DoesNotContain(credentials.SecretAccessKey, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(credentials.SessionToken!, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(credentials.AccessKeyId, record.Message, StringComparison.Ordinal);
        }
    }
}
