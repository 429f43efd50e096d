using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WorkloadCredentials.AssumeRole.Internal;
using WorkloadCredentials.Container;
using WorkloadCredentials.InstanceMetadata;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.InstanceMetadata;
using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.Telemetry;

/// <summary>
/// STS, instance metadata and container calls against loopback servers: one count per call on
/// <c>workload_credentials.service.calls</c> with the attempts it took and its outcome, and one client span per call.
/// </summary>
public sealed class ServiceCallTelemetryTests
{
    private const string RoleArn = "arn:aws:iam::210987654321:role/telemetry-role";

    [Fact]
    public async Task StsCall_RetriedOnce_CountsOneCallOfTwoAttempts_AndItsSpanCarriesTheRole()
    {
        using var kit = new TelemetryTestKit();
        using var calls = new MetricCollector<long>(kit.Instruments.Meter, CredentialInstruments.ServiceCalls);
        await using var sts = await StsFaultServer.StartAsync((request, _) => Task.FromResult<StsReply?>(
            request.Index == 0 ? StsReply.Error(503, "ServiceUnavailable", type: "Receiver") : AssumeRoleSuccess()));
        IAwsCredentialSource role = AssumeRole(kit, sts.Endpoint);

        _ = await role.GetCredentialsAsync(TestContext.Current.CancellationToken);

        CollectedMeasurement<long> call = Assert.Single(calls.GetMeasurementSnapshot());
        Assert.True(call.HasTags(
            (TelemetryTags.Service, "sts"), (TelemetryTags.Operation, "AssumeRole"), (TelemetryTags.Outcome, "success"),
            (TelemetryTags.Attempts, 2)));
        Activity span = Assert.Single(kit.Spans, s => s.OperationName == "sts.AssumeRole");
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
        Assert.Equal(RoleArn, span.Tags()[TelemetryTags.RoleArn]);
        Assert.Equal("AssumeRole", span.Tags()[TelemetryTags.Source]);
        Assert.Equal(2, span.Tags()[TelemetryTags.Attempts]);
        Assert.Equal("127.0.0.1", span.Tags()[TelemetryTags.ServerAddress]);
        Assert.Single(span.Events, e => e.Name == "retry");
    }

    [Fact]
    public async Task StsCall_Refused_CountsAFailureWithItsKind_NeverTheAnswersText()
    {
        using var kit = new TelemetryTestKit();
        using var calls = new MetricCollector<long>(kit.Instruments.Meter, CredentialInstruments.ServiceCalls);
        await using var sts = await StsFaultServer.StartAsync((_, _) => Task.FromResult<StsReply?>(
            StsReply.Error(403, "AccessDenied", "not authorized to assume telemetry-role, answer-text-7781")));
        IAwsCredentialSource role = AssumeRole(kit, sts.Endpoint);

        _ = await Assert.ThrowsAnyAsync<AwsCredentialException>(async () => await role.GetCredentialsAsync(TestContext.Current.CancellationToken));

        CollectedMeasurement<long> call = Assert.Single(calls.GetMeasurementSnapshot());
        Assert.True(call.HasTags((TelemetryTags.Service, "sts"), (TelemetryTags.Outcome, "failure"), (TelemetryTags.Attempts, 1)));
        Assert.False(string.IsNullOrEmpty(call.Tags[TelemetryTags.ErrorType] as string));
        Activity span = Assert.Single(kit.Spans, s => s.OperationName == "sts.AssumeRole");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(403, span.Tags()[TelemetryTags.HttpStatusCode]);
        Assert.DoesNotContain("answer-text-7781", kit.SpanAndMetricText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContainerCall_500ThenDocument_CountsOneSuccessfulCallOfTwoAttempts()
    {
        using var kit = new TelemetryTestKit();
        using var calls = new MetricCollector<long>(kit.Instruments.Meter, CredentialInstruments.ServiceCalls);
        int requests = 0;
        await using LoopbackHttpServer server = await LoopbackHttpServer.StartAsync(
            async http =>
            {
                if (Interlocked.Increment(ref requests) == 1)
                {
                    http.Response.StatusCode = 500;
                    return;
                }

                await http.Response.WriteAsync(ImdsTestData.CredentialsJson(DateTimeOffset.UtcNow.AddHours(1)));
            },
            TestContext.Current.CancellationToken);
        var options = new WorkloadCredentialsOptions();
        options.Container.FullUri = new Uri(server.Endpoint, "/creds");
        using var source = new ContainerCredentialSource(kit.Context(options));

        _ = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        CollectedMeasurement<long> call = Assert.Single(calls.GetMeasurementSnapshot());
        Assert.True(call.HasTags(
            (TelemetryTags.Service, "container"), (TelemetryTags.Operation, "GetCredentials"), (TelemetryTags.Outcome, "success"),
            (TelemetryTags.Attempts, 2)));
        Activity span = Assert.Single(kit.Spans, s => s.OperationName == "container.GetCredentials");
        Assert.Equal(200, span.Tags()[TelemetryTags.HttpStatusCode]);
        Assert.Equal("Container", span.Tags()[TelemetryTags.Source]);
    }

    [Fact]
    public async Task ImdsCalls_TokenThenMetadata_CountEachRequestWithItsOperation()
    {
        using var kit = new TelemetryTestKit();
        using var calls = new MetricCollector<long>(kit.Instruments.Meter, CredentialInstruments.ServiceCalls);
        await using LoopbackHttpServer server = await LoopbackHttpServer.StartAsync(ImdsTestData.AnswerAsync, TestContext.Current.CancellationToken);
        var options = new WorkloadCredentialsOptions();
        options.InstanceMetadata.Endpoint = server.Endpoint;
        using var source = new ImdsCredentialSource(kit.Context(options));

        _ = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);

        IReadOnlyList<CollectedMeasurement<long>> measured = calls.GetMeasurementSnapshot();
        Assert.Equal(server.Requests.Count, measured.Count);
        Assert.Equal(["GetToken", "GetMetadata", "GetMetadata"], measured.Select(m => m.Tags[TelemetryTags.Operation]));
        Assert.All(measured, m => Assert.True(m.HasTags(
            (TelemetryTags.Service, "imds"), (TelemetryTags.Outcome, "success"), (TelemetryTags.Attempts, 1))));
        Assert.Equal(3, kit.Spans.Count(s => s.OperationName.StartsWith("imds.", StringComparison.Ordinal)));
        Assert.DoesNotContain(ImdsTestData.ImdsToken, kit.AllText(), StringComparison.Ordinal);
    }

    private static IAwsCredentialSource AssumeRole(TelemetryTestKit kit, Uri endpoint)
    {
        var options = new WorkloadCredentialsOptions { Region = "eu-west-1" };
        options.Sts.EndpointUrl = endpoint.ToString();
        options.Sts.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        options.AssumeRole.RoleArn = RoleArn;
        var keys = new QueuedCredentialSource(new AwsCredentials("AKIDTELEMETRYSOURCE1", "telemetry-source-secret-0001", null, null, "StaticKeys"));
        return AssumeRoleChainWrapper.Wrap(keys, kit.Context(options));
    }

    private static StsReply AssumeRoleSuccess() =>
        StsReply.Ok(StsXml.AssumeRole("ASIATELEMETRYISSUED1", "telemetry-issued-secret-0001", "telemetry-issued-token-0001", DateTimeOffset.UtcNow.AddHours(1)));
}
