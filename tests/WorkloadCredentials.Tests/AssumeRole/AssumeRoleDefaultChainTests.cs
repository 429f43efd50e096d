using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.InstanceMetadata;
using WorkloadCredentials.Tests.Sts.Fakes;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

namespace WorkloadCredentials.Tests.AssumeRole;

/// <summary>
/// "Platform that allows instance credentials and takes a role ARN instead of keys": the whole default chain resolves the instance
/// profile from IMDS (loopback), and <c>AWS:AssumeRole</c> wraps it: sts:AssumeRole signed with the instance profile's keys, capped
/// at one hour because that is role chaining.
/// </summary>
public sealed class AssumeRoleDefaultChainTests
{
    private const string TargetRole = "arn:aws:iam::210987654321:role/customer-role";

    [Fact]
    public async Task GetCredentialsAsync_InstanceProfileThenAssumeRole_SignedWithInstanceKeysAndCappedAtOneHour()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        DateTimeOffset expiration = DateTimeOffset.UtcNow.AddHours(6);
        await using StsFaultServer sts = await StsFaultServer.StartAsync(_ => StsReply.Ok(StsXml.AssumeRole("ASIACUSTOMER", "customer-secret", "customer-token", expiration)));
        var imds = new LoopbackGuardHandler(request => request.RequestUri!.AbsolutePath switch
        {
            "/latest/api/token" => ImdsTestData.Token(),
            "/latest/meta-data/iam/security-credentials/" => ImdsTestData.Text(HttpStatusCode.OK, ImdsTestData.RoleName),
            "/latest/meta-data/iam/security-credentials/" + ImdsTestData.RoleName => ImdsTestData.Text(HttpStatusCode.OK, ImdsTestData.CredentialsJson(DateTimeOffset.UtcNow.AddHours(6))),
            _ => ImdsTestData.Text(HttpStatusCode.NotFound),
        });
        var options = new WorkloadCredentialsOptions { Region = "eu-west-1" };
        options.InstanceMetadata.Endpoint = new Uri("http://127.0.0.1:1");
        options.Sts.EndpointUrl = sts.Endpoint.ToString();
        options.AssumeRole.RoleArn = TargetRole;
        options.AssumeRole.ExternalId = "customer-7f3a";
        options.AssumeRole.Duration = TimeSpan.FromHours(2);
        var environment = new TestEnvironment { ["AWS_EC2_METADATA_DISABLED"] = null };
        using var network = new SplitNetwork(imds, sts.Endpoint);
        var context = NetworkSafety.Guarded(options, environment, TimeProvider.System, SecretScanLogging.LoggerFactory, network);
        using RefreshingCredentialCache cache = AwsCredentialSources.CreateDefault(context);

        AwsCredentials credentials = await cache.GetCredentialsAsync(ct);

        Assert.Equal(("ASIACUSTOMER", "AssumeRole", TargetRole), (credentials.AccessKeyId, credentials.SourceName, credentials.RoleArn));
        StsRecordedRequest request = Assert.Single(sts.Requests);
        Assert.Equal((TargetRole, "customer-7f3a", "3600"), (request.Form["RoleArn"], request.Form["ExternalId"], request.Form["DurationSeconds"]));
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={ImdsTestData.AccessKeyId}/", request.Authorization, StringComparison.Ordinal);
        Assert.Equal(ImdsTestData.SessionToken, request.SecurityToken);
        Assert.Contains(imds.Requests, r => r.Uri.AbsolutePath == "/latest/meta-data/iam/security-credentials/" + ImdsTestData.RoleName);
    }

    /// <summary>Instance metadata answered in memory (loopback-guarded); STS forwarded to the loopback fault server.</summary>
    private sealed class SplitNetwork(LoopbackGuardHandler imds, Uri stsEndpoint) : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly HttpMessageInvoker _imds = new(imds);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri uri = request.RequestUri!;
            Assert.True(LoopbackGuardHandler.IsLoopback(uri), $"non-loopback request to {uri}");
            return uri.Port == stsEndpoint.Port ? base.SendAsync(request, cancellationToken) : _imds.SendAsync(request, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            _imds.Dispose();
            base.Dispose(disposing);
        }
    }
}
