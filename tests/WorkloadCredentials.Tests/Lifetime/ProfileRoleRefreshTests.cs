using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Profiles;
using WorkloadCredentials.Tests.Sts.Fakes;

namespace WorkloadCredentials.Tests.Lifetime;

/// <summary>
/// Issue 10, item 2: a profile's sources are built once per resolved profile, not per refresh. 1,000 refreshes of a role chain against
/// a loopback STS (Kestrel) keep one constant, small number of connections: a source (an STS client) per refresh would open one each.
/// </summary>
public sealed class ProfileRoleRefreshTests
{
    private const int Refreshes = 1_000;

    /// <summary>One STS client keeps its connections pooled; a couple more if the server or the pool closes one between calls.</summary>
    private const int MaxConnections = 3;

    [Theory]
    [InlineData("source_profile")]
    [InlineData("credential_source")]
    public async Task RoleChain_ThousandRefreshes_ConstantConnectionsAndOneSourcePerStep(string sourceKind)
    {
        var connections = new ConcurrentDictionary<string, bool>();
        int calls = 0;
        await using LoopbackHttpServer sts = await LoopbackHttpServer.StartAsync(
            async context =>
            {
                connections.TryAdd(context.Connection.Id, true);
                int call = Interlocked.Increment(ref calls);
                context.Response.ContentType = "text/xml";
                await context.Response.WriteAsync(StsXml.AssumeRole(
                    $"ASIAREFRESH{call:D9}", "refresh-SECRET-do-not-log", "refresh-TOKEN", DateTimeOffset.UtcNow.AddHours(1)));
            },
            TestContext.Current.CancellationToken);

        string config = sourceKind == "source_profile"
            ? "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\nsource_profile = base\n[profile base]\naws_access_key_id = AKIDREFRESHBASE00001\naws_secret_access_key = base-SECRET-do-not-log\n"
            : "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\ncredential_source = Environment\n";
        using var files = new ProfileFiles(config);
        var environment = new DictionaryEnvironment([
            new("HOME", files.Home),
            new("AWS_PROFILE", "app"),
            new("AWS_REGION", "us-east-1"),
            new("AWS_ENDPOINT_URL_STS", sts.Endpoint.ToString()),
            new("AWS_EC2_METADATA_DISABLED", "true"),
            new("AWS_ACCESS_KEY_ID", "AKIDREFRESHENV000001"),
            new("AWS_SECRET_ACCESS_KEY", "env-SECRET-do-not-log"),
        ]);
        CredentialSourceContext context = NetworkSafety.Guarded(new WorkloadCredentialsOptions(), environment, TimeProvider.System, NullLoggerFactory.Instance);
        Func<string, string?> settings = SelectedProfileSettings.Create(context);
        using var source = new ProfileCredentialSource(context, new BuiltInProfileStepFactory(SourceDefinitions.CreateBuildContext(context, settings, new DefaultRegionHint(context, settings))), isWindows: false);

        int afterFirstTen = 0;
        for (int i = 1; i <= Refreshes; i++)
        {
            AwsCredentials credentials = await source.GetCredentialsAsync(TestContext.Current.CancellationToken);
            Assert.Equal($"ASIAREFRESH{i:D9}", credentials.AccessKeyId);
            if (i == 10)
            {
                afterFirstTen = connections.Count;
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{sourceKind}: {Refreshes} refreshes, {calls} STS calls, {connections.Count} connections ({afterFirstTen} after 10)");
        Assert.Equal(Refreshes, calls);
        Assert.InRange(connections.Count, 1, MaxConnections);
        Assert.Equal(afterFirstTen, connections.Count);
    }
}
