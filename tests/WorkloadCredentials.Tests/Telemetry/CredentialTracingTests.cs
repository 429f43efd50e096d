using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.AssumeRole.Internal;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.Telemetry;

/// <summary>
/// The spans of the <c>WorkloadCredentials</c> activity source, read with an <see cref="ActivityListener"/>: a refresh span, under
/// it one span per source the chain tries, under a source the spans of its STS calls; failures marked; a background refresh is a
/// root span, never the child of whichever request happened to be current.
/// </summary>
public sealed class CredentialTracingTests
{
    private const string RoleArn = "arn:aws:iam::210987654321:role/traced-role";

    [Fact]
    public async Task CallerRefresh_OverAChain_RefreshSpanHoldsOneSpanPerSourceTried_AndTheStsCallUnderItsSource()
    {
        using var kit = new TelemetryTestKit();
        await using var sts = await StsFaultServer.StartAsync((_, _) => Task.FromResult<StsReply?>(
            StsReply.Ok(StsXml.AssumeRole("ASIATRACEDISSUED0001", "traced-issued-secret-0001", "traced-issued-token-0001", DateTimeOffset.UtcNow.AddHours(1)))));
        using RefreshingCredentialCache cache = CacheOver(kit, sts.Endpoint);

        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Activity refresh = Assert.Single(kit.Spans, s => s.OperationName == TelemetryTags.RefreshSpan);
        Assert.Equal(kit.Root!.SpanId, refresh.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Ok, refresh.Status);
        Assert.Equal("caller", refresh.Tags()[TelemetryTags.Trigger]);
        Assert.Equal("AssumeRole", refresh.Tags()[TelemetryTags.Source]);
        Assert.Equal("success", refresh.Tags()[TelemetryTags.Outcome]);

        Activity[] sources = [.. kit.Spans.Where(s => s.OperationName == TelemetryTags.SourceSpan).OrderBy(s => s.StartTimeUtc)];
        Assert.Equal(["Missing", "AssumeRole"], sources.Select(s => s.Tags()[TelemetryTags.Source]));
        Assert.Equal(["unavailable", "success"], sources.Select(s => s.Tags()[TelemetryTags.Outcome]));
        Assert.All(sources, s => Assert.Equal(refresh.SpanId, s.ParentSpanId));

        Activity call = Assert.Single(kit.Spans, s => s.OperationName == "sts.AssumeRole");
        Assert.Equal(sources[1].SpanId, call.ParentSpanId);
        Assert.Equal(RoleArn, call.Tags()[TelemetryTags.RoleArn]);
        Assert.Equal(1, call.Tags()[TelemetryTags.Attempts]);
        Assert.Equal("success", call.Tags()[TelemetryTags.Outcome]);
    }

    [Fact]
    public async Task FailedRefresh_MarksTheRefreshTheSourceAndTheCallAsErrors()
    {
        using var kit = new TelemetryTestKit();
        await using var sts = await StsFaultServer.StartAsync((_, _) => Task.FromResult<StsReply?>(StsReply.Error(403, "AccessDenied")));
        using RefreshingCredentialCache cache = CacheOver(kit, sts.Endpoint);

        _ = await Assert.ThrowsAnyAsync<AwsCredentialException>(async () => await cache.GetCredentialsAsync(TestContext.Current.CancellationToken));

        Activity refresh = Assert.Single(kit.Spans, s => s.OperationName == TelemetryTags.RefreshSpan);
        Assert.Equal(ActivityStatusCode.Error, refresh.Status);
        Assert.Equal("failure", refresh.Tags()[TelemetryTags.Outcome]);
        Assert.False(string.IsNullOrEmpty(refresh.Tags()[TelemetryTags.ErrorType] as string));
        Activity source = Assert.Single(kit.Spans, s => s.OperationName == TelemetryTags.SourceSpan && (string?)s.Tags()[TelemetryTags.Source] == "AssumeRole");
        Assert.Equal(ActivityStatusCode.Error, source.Status);
        Activity call = Assert.Single(kit.Spans, s => s.OperationName == "sts.AssumeRole");
        Assert.Equal(ActivityStatusCode.Error, call.Status);
        Assert.Equal("failure", call.Tags()[TelemetryTags.Outcome]);
    }

    [Fact]
    public async Task BackgroundRefresh_UnderACallersSpan_IsARootSpan()
    {
        string sourceName = "Background" + Guid.NewGuid().ToString("N");
        using var kit = new TelemetryTestKit(alsoCollect: s => s.TagObjects.Any(t => t.Key == TelemetryTags.Source && Equals(t.Value, sourceName)));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var source = new FakeCredentialSource(_ => new ValueTask<AwsCredentials>(
            FakeCredentialSource.Credentials(sourceName: sourceName, expiration: time.GetUtcNow().AddHours(1))));
        using var cache = new RefreshingCredentialCache(
            source, new CredentialCacheOptions { RefreshJitter = 0 }, time, kit.Telemetry(), () => 0.5, static refresh => refresh(), TimeSpan.FromSeconds(1));
        _ = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(Activity.Current); // the test's own span is current while the heartbeat starts the refresh
        time.Advance(TimeSpan.FromMinutes(50));
        await cache.PendingRefresh;

        Activity[] refreshes = [.. kit.Spans.Where(s => s.OperationName == TelemetryTags.RefreshSpan)];
        Assert.Equal(2, refreshes.Length);
        Activity caller = Assert.Single(refreshes, s => (string?)s.Tags()[TelemetryTags.Trigger] == "caller");
        Activity background = Assert.Single(refreshes, s => (string?)s.Tags()[TelemetryTags.Trigger] == "background");
        Assert.Equal(kit.Root!.SpanId, caller.ParentSpanId);
        Assert.Equal(default, background.ParentSpanId);
        Assert.NotEqual(kit.Root.TraceId, background.TraceId);
        Assert.Same(kit.Root, Activity.Current); // and the caller's current span is left as it was
    }

    private static RefreshingCredentialCache CacheOver(TelemetryTestKit kit, Uri stsEndpoint)
    {
        var options = new WorkloadCredentialsOptions { Region = "eu-west-1" };
        options.Sts.EndpointUrl = stsEndpoint.ToString();
        options.Sts.MaxRetryAttempts = 0;
        options.AssumeRole.RoleArn = RoleArn;
        var keys = new QueuedCredentialSource(new AwsCredentials("AKIDTRACEDSOURCE0001", "traced-source-secret-0001", null, null, "StaticKeys"));
        IAwsCredentialSource role = AssumeRoleChainWrapper.Wrap(keys, kit.Context(options));
        var chain = new CredentialChain(
            [new ChainLink("Missing", FakeCredentialSource.Unavailable("Missing: nothing configured.", "Missing")), new ChainLink("AssumeRole", role, Owned: true)],
            kit.Telemetry("chain"));
        return new RefreshingCredentialCache(chain, new CredentialCacheOptions(), TimeProvider.System, kit.Telemetry("cache"), () => 0.5, static refresh => refresh(), TimeSpan.FromDays(1), ownsInner: true);
    }
}
