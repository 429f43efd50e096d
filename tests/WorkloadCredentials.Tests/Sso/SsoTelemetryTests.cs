using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Tests.Telemetry;

namespace WorkloadCredentials.Tests.Sso;

/// <summary>
/// The IAM Identity Center source reports through the telemetry reporter like every other source: one count on
/// <c>workload_credentials.service.calls</c> and one client span per portal (<c>sso.GetRoleCredentials</c>) and OIDC
/// (<c>sso_oidc.CreateToken</c>) call, its events in the SSO range, and no token, refresh token, client secret or role secret
/// in any span, tag or log record.
/// </summary>
public sealed class SsoTelemetryTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TokenNearExpiry_RefreshedThenRoleCredentials_OneCallAndOneSpanEach_NoSecretAnywhere()
    {
        using var kit = new TelemetryTestKit();
        using var calls = new MetricCollector<long>(kit.Instruments.Meter, CredentialInstruments.ServiceCalls);
        await using SsoFakeServer server = await SsoFakeServer.StartAsync();
        server.AcceptedAccessToken = server.NewAccessToken;
        using var harness = new SsoTestHarness(server, instruments: kit.Instruments);
        harness.WriteToken(harness.SessionTokenPath, SsoTestHarness.Now.AddMinutes(5));

        AwsCredentials credentials = await harness.CreateProfileSource().GetCredentialsAsync(Cancel);

        Assert.Equal(SsoFakeServer.RoleAccessKeyId, credentials.AccessKeyId);
        IReadOnlyList<CollectedMeasurement<long>> measured = calls.GetMeasurementSnapshot();
        Assert.Equal(2, measured.Count);
        Assert.Contains(measured, m => m.HasTags((TelemetryTags.Service, "sso_oidc"), (TelemetryTags.Operation, "CreateToken"), (TelemetryTags.Outcome, "success"), (TelemetryTags.Attempts, 1)));
        Assert.Contains(measured, m => m.HasTags((TelemetryTags.Service, "sso"), (TelemetryTags.Operation, "GetRoleCredentials"), (TelemetryTags.Outcome, "success"), (TelemetryTags.Attempts, 1)));
        Activity refresh = Assert.Single(kit.Spans, s => s.OperationName == "sso_oidc.CreateToken");
        Activity portal = Assert.Single(kit.Spans, s => s.OperationName == "sso.GetRoleCredentials");
        Assert.All(new[] { refresh, portal }, span =>
        {
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.Equal(ActivityStatusCode.Ok, span.Status);
            Assert.Equal("127.0.0.1", span.Tags()[TelemetryTags.ServerAddress]);
        });
        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Id.Id == LogEventIds.Sso + 2);
        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Id.Id == LogEventIds.Sso + 6);
        harness.AssertNoSecrets(kit.SpanAndMetricText());
    }

    [Theory]
    [InlineData(403)]
    [InlineData(500)]
    public async Task PortalAnswersAnError_CountsAFailureByItsStatus_NeverTheAnswersText(int status)
    {
        using var kit = new TelemetryTestKit();
        using var calls = new MetricCollector<long>(kit.Instruments.Meter, CredentialInstruments.ServiceCalls);
        await using SsoFakeServer server = await SsoFakeServer.StartAsync();
        server.PortalStatus = status;
        using var harness = new SsoTestHarness(server, instruments: kit.Instruments);
        harness.WriteToken(harness.SessionTokenPath, SsoTestHarness.Now.AddHours(8));

        _ = await Assert.ThrowsAnyAsync<AwsCredentialException>(async () => await harness.CreateProfileSource().GetCredentialsAsync(Cancel));

        CollectedMeasurement<long> call = Assert.Single(calls.GetMeasurementSnapshot());
        string code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(call.HasTags((TelemetryTags.Service, "sso"), (TelemetryTags.Outcome, "failure"), (TelemetryTags.ErrorType, code)));
        Activity span = Assert.Single(kit.Spans, s => s.OperationName == "sso.GetRoleCredentials");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(status, span.Tags()[TelemetryTags.HttpStatusCode]);
        Assert.DoesNotContain("No access", kit.SpanAndMetricText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Internal error", kit.SpanAndMetricText(), StringComparison.Ordinal);
        harness.AssertNoSecrets(kit.SpanAndMetricText());
    }
}
