using System.Diagnostics;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Telemetry;

namespace WorkloadCredentials.Tests.Chain;

/// <summary>
/// Issue 15, item 3: the span the chain opens for each source it asks, and how each ends (its outcome, error type and status), while
/// resolving and once it sticks to a source; and that the chosen source's span is still the current one when the choice is made.
/// </summary>
public sealed class ChainSpanGuardTests
{
    [Fact]
    public async Task Resolve_OneSpanPerSourceAsked_UnavailableThenSuccess_NoneForTheSourcesNotTried()
    {
        using var kit = new TelemetryTestKit();
        var chain = new CredentialChain(
            [
                new ChainLink("Missing", FakeCredentialSource.Unavailable("Missing: nothing configured.")),
                new ChainLink("Keys", FakeCredentialSource.Returning(FakeCredentialSource.Credentials())),
                new ChainLink("Later", FakeCredentialSource.Returning(FakeCredentialSource.Credentials())),
            ],
            CredentialTelemetry.Null);

        _ = await chain.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Collection(
            SourceSpans(kit),
            missing => AssertSpan(missing, "Missing", TelemetryTags.Unavailable, errorType: null, ActivityStatusCode.Unset),
            keys => AssertSpan(keys, "Keys", TelemetryTags.Success, errorType: null, ActivityStatusCode.Ok));
    }

    [Fact]
    public async Task Resolve_TheChosenSourcesSpanIsCurrentWhenTheChoiceIsMade()
    {
        using var kit = new TelemetryTestKit();
        Activity? currentAtChoice = null;
        var chain = new CredentialChain(
            [
                new ChainLink("Missing", FakeCredentialSource.Unavailable("Missing: nothing configured.")),
                new ChainLink("Environment", FakeCredentialSource.Returning(FakeCredentialSource.Credentials()), IsKeys: true),
            ],
            CredentialTelemetry.Null,
            () =>
            {
                currentAtChoice = Activity.Current;
                return null;
            });

        _ = await chain.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Activity chosen = Assert.Single(SourceSpans(kit), s => (string?)s.Tags()[TelemetryTags.Source] == "Environment");
        Assert.Same(chosen, currentAtChoice);
        Assert.Same(kit.Root, Activity.Current);
    }

    [Fact]
    public async Task Resolve_SourceFailsWithItsOwnError_FailureSpanWithItsType_NoSpanAfterIt()
    {
        using var kit = new TelemetryTestKit();
        var failure = new AwsCredentialException("Vault: denied.", "Vault", isRecoverable: false);
        var chain = new CredentialChain(
            [new ChainLink("Vault", FakeCredentialSource.Throwing(failure)), new ChainLink("Later", FakeCredentialSource.Returning(FakeCredentialSource.Credentials()))],
            CredentialTelemetry.Null);

        _ = await Assert.ThrowsAsync<AwsCredentialException>(() => chain.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        AssertSpan(Assert.Single(SourceSpans(kit)), "Vault", TelemetryTags.Failure, nameof(AwsCredentialException), ActivityStatusCode.Error);
    }

    [Fact]
    public async Task Resolve_ForeignException_FailureSpanNamesTheSourcesOwnErrorType()
    {
        using var kit = new TelemetryTestKit();
        var chain = new CredentialChain([new ChainLink("Vault", FakeCredentialSource.Throwing(new InvalidOperationException("socket closed")))], CredentialTelemetry.Null);

        _ = await Assert.ThrowsAsync<AwsCredentialException>(() => chain.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        AssertSpan(Assert.Single(SourceSpans(kit)), "Vault", TelemetryTags.Failure, nameof(InvalidOperationException), ActivityStatusCode.Error);
    }

    [Fact]
    public async Task Resolve_CallerCancels_FailureSpanWithTheCancellation()
    {
        using var kit = new TelemetryTestKit();
        using var cts = new CancellationTokenSource();
        var source = new FakeCredentialSource(_ =>
        {
            cts.Cancel();
            return ValueTask.FromException<AwsCredentials>(new OperationCanceledException(cts.Token));
        });
        var chain = new CredentialChain([new ChainLink("Slow", source)], CredentialTelemetry.Null);

        _ = await Assert.ThrowsAsync<OperationCanceledException>(() => chain.GetCredentialsAsync(cts.Token).AsTask());

        AssertSpan(Assert.Single(SourceSpans(kit)), "Slow", TelemetryTags.Failure, nameof(OperationCanceledException), ActivityStatusCode.Error);
    }

    [Fact]
    public async Task ChosenSource_EachLaterCallIsASpan_SuccessThenEachKindOfFailure()
    {
        using var kit = new TelemetryTestKit();
        int call = 0;
        var denied = new AwsCredentialException("Vault: denied.", "Vault", isRecoverable: false);
        var source = new FakeCredentialSource(_ => Interlocked.Increment(ref call) switch
        {
            <= 2 => new ValueTask<AwsCredentials>(FakeCredentialSource.Credentials()),
            3 => ValueTask.FromException<AwsCredentials>(denied),
            _ => ValueTask.FromException<AwsCredentials>(new IOException("disk gone")),
        });
        var chain = new CredentialChain([new ChainLink("Vault", source)], CredentialTelemetry.Null);
        _ = await chain.GetCredentialsAsync(TestContext.Current.CancellationToken);

        _ = await chain.GetCredentialsAsync(TestContext.Current.CancellationToken);
        _ = await Assert.ThrowsAsync<AwsCredentialException>(() => chain.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());
        _ = await Assert.ThrowsAsync<AwsCredentialException>(() => chain.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Collection(
            SourceSpans(kit),
            first => AssertSpan(first, "Vault", TelemetryTags.Success, errorType: null, ActivityStatusCode.Ok),
            second => AssertSpan(second, "Vault", TelemetryTags.Success, errorType: null, ActivityStatusCode.Ok),
            third => AssertSpan(third, "Vault", TelemetryTags.Failure, nameof(AwsCredentialException), ActivityStatusCode.Error),
            fourth => AssertSpan(fourth, "Vault", TelemetryTags.Failure, nameof(IOException), ActivityStatusCode.Error));
    }

    private static IReadOnlyList<Activity> SourceSpans(TelemetryTestKit kit) => [.. kit.Spans.Where(s => s.OperationName == TelemetryTags.SourceSpan)];

    private static void AssertSpan(Activity span, string source, string outcome, string? errorType, ActivityStatusCode status)
    {
        Dictionary<string, object?> tags = span.Tags();
        Assert.Equal(source, tags[TelemetryTags.Source]);
        Assert.Equal(outcome, tags[TelemetryTags.Outcome]);
        Assert.Equal(errorType, tags.GetValueOrDefault(TelemetryTags.ErrorType));
        Assert.Equal(status, span.Status);
    }
}
