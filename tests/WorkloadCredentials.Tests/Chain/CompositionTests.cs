using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkloadCredentials.AssumeRole.Internal;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.InstanceMetadata.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.InstanceMetadata;
using WorkloadCredentials.Tests.Profiles;
using WorkloadCredentials.Tests.Sts.Fakes;
using WorkloadCredentials.WebIdentity.Internal;

namespace WorkloadCredentials.Tests.Chain;

/// <summary>
/// The composition API: the built-in sources one by one (the same definitions the default chain walks), in any order or subset, with
/// <see cref="AwsCredentialSources.Chain"/> and <see cref="AwsCredentialSources.Cache"/>; the <c>Exclude…</c> options; the registry.
/// Every endpoint is loopback (an in-memory guard handler).
/// </summary>
public sealed class CompositionTests
{
    private const string ImdsEndpoint = "http://127.0.0.1:1";
    private const string StsEndpoint = "http://127.0.0.1:3/";
    private const string RoleArn = "arn:aws:iam::123456789012:role/target-role";
    private const string ExternalId = "customer-EXTERNAL-id-7f3a";
    private const string RoleKeyId = "ASIAROLEFROMSTS00001";
    private const string WebKeyId = "ASIAWEBIDENTITY00001";

    [Fact]
    public async Task InstanceMetadataThenAssumeRole_SignsWithTheInstanceRoleSendsTheExternalIdAndCapsRoleChaining()
    {
        var options = new WorkloadCredentialsOptions { Region = "eu-west-1" };
        options.Sts.EndpointUrl = StsEndpoint;
        options.AssumeRole.RoleArn = RoleArn;
        options.AssumeRole.ExternalId = ExternalId;
        options.AssumeRole.Duration = TimeSpan.FromHours(2);
        var stsForms = new List<string>();
        var handler = new LoopbackGuardHandler(request => request.RequestUri!.Port == 3 ? Sts(request, stsForms, "AssumeRole") : ImdsAnswer(request));
        CredentialSourceContext context = Context(options, ImdsOn(), handler);

        IAwsCredentialSource instance = AwsCredentialSources.Create(InstanceMetadataSourceDefinition.Instance, context);
        using ICachedAwsCredentialSource cache = AwsCredentialSources.Cache(AwsCredentialSources.Create(AssumeRoleSourceDefinition.Instance, context, instance));
        AwsCredentials credentials = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(RoleKeyId, credentials.AccessKeyId);
        RecordedHttpRequest call = Assert.Single(handler.Requests, r => r.Uri.Port == 3);
        Assert.Contains($"Credential={ImdsTestData.AccessKeyId}/", call.Header("Authorization"), StringComparison.Ordinal);
        string form = Assert.Single(stsForms);
        Assert.Contains("ExternalId=" + ExternalId, form, StringComparison.Ordinal);

        // Instance-profile credentials are a role session (its definition says so): two hours are capped to the one STS allows.
        Assert.Contains("DurationSeconds=3600", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProfileThenWebIdentity_RunsInTheOrderComposed_NotTheDefaultChainsPrecedence()
    {
        using var files = new ProfileFiles(credentials: "[default]\naws_access_key_id = AKIDPROFILEKEYS00001\naws_secret_access_key = profile-SECRET\n");
        using var temp = new TempDirectory();
        TestEnvironment environment = WebIdentityEnvironment(files, temp);
        var handler = new LoopbackGuardHandler(request => Sts(request, [], "AssumeRoleWithWebIdentity"));
        CredentialSourceContext context = Context(new WorkloadCredentialsOptions { Region = "eu-west-1", Sts = { EndpointUrl = StsEndpoint } }, environment, handler);

        // Composed: the profile's keys first. The default chain would take IRSA over a profile that holds only keys.
        using (IAwsCredentialSource profileFirst = AwsCredentialSources.Chain(
            AwsCredentialSources.Create(ProfileSourceDefinition.Instance, context), AwsCredentialSources.Create(WebIdentitySourceDefinition.Instance, context)))
        {
            Assert.Equal("AKIDPROFILEKEYS00001", (await profileFirst.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
        }

        using (IAwsCredentialSource webFirst = AwsCredentialSources.Chain(
            AwsCredentialSources.Create(WebIdentitySourceDefinition.Instance, context), AwsCredentialSources.Create(ProfileSourceDefinition.Instance, context)))
        {
            Assert.Equal(WebKeyId, (await webFirst.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
        }

        using IAwsCredentialSource defaultChain = DefaultCredentialChain.Create(context);
        Assert.Equal(WebKeyId, (await defaultChain.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
    }

    [Fact]
    public async Task ProfileWithoutFiles_IsUnavailable_SoTheNextComposedSourceAnswers()
    {
        using var files = new ProfileFiles();
        using var temp = new TempDirectory();
        var handler = new LoopbackGuardHandler(request => Sts(request, [], "AssumeRoleWithWebIdentity"));
        CredentialSourceContext context = Context(
            new WorkloadCredentialsOptions { Region = "eu-west-1", Sts = { EndpointUrl = StsEndpoint } }, WebIdentityEnvironment(files, temp), handler);

        using IAwsCredentialSource chain = AwsCredentialSources.Chain(
            AwsCredentialSources.Create(ProfileSourceDefinition.Instance, context), AwsCredentialSources.Create(WebIdentitySourceDefinition.Instance, context));

        Assert.Equal(WebKeyId, (await chain.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
    }

    [Fact]
    public async Task PublicFactories_StaticKeysAndEnvironment_ComposeAndDispose()
    {
        using ICachedAwsCredentialSource cache = AwsCredentialSources.Cache(AwsCredentialSources.Chain(
            AwsCredentialSources.StaticKeys("AKIDCOMPOSEDKEYS0001", "composed-SECRET-do-not-log"),
            AwsCredentialSources.Environment()));

        AwsCredentials credentials = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("AKIDCOMPOSEDKEYS0001", credentials.AccessKeyId);
        Assert.Equal("StaticKeys", credentials.SourceName);
    }

    [Fact]
    public void PublicFactories_InvalidOptions_NameTheOptionNeverTheSecret()
    {
        var keys = Assert.Throws<OptionsValidationException>(() => AwsCredentialSources.StaticKeys(string.Empty, "composed-SECRET-do-not-log"));
        Assert.Equal("StaticKeys.AccessKeyId is required when StaticKeys.SecretAccessKey is set.", Assert.Single(keys.Failures));
        Assert.DoesNotContain("composed-SECRET", keys.Message, StringComparison.Ordinal);

        var role = Assert.Throws<OptionsValidationException>(() => AwsCredentialSources.AssumeRole(AwsCredentialSources.Environment(), o => o.AssumeRole.ExternalId = ExternalId));
        Assert.Equal("AssumeRole.RoleArn is required: it names the role to assume.", Assert.Single(role.Failures));
        Assert.DoesNotContain(ExternalId, role.Message, StringComparison.Ordinal);

        var imds = Assert.Throws<OptionsValidationException>(() => AwsCredentialSources.InstanceMetadata(o => o.InstanceMetadata.MaxRetryAttempts = 11));
        Assert.Equal("InstanceMetadata: InstanceMetadata.MaxRetryAttempts is 11; it must lie between 0 and 10.", Assert.Single(imds.Failures));

        var container = Assert.Throws<OptionsValidationException>(() => AwsCredentialSources.Container(o => o.Container.MaxRetryAttempts = -1));
        Assert.Equal("Container: Container.MaxRetryAttempts is -1; it must lie between 0 and 10.", Assert.Single(container.Failures));
    }

    [Fact]
    public void CreateDefault_RetryCountsOutOfRange_EachReportedOnce()
    {
        var error = Assert.Throws<OptionsValidationException>(() => AwsCredentialSources.CreateDefault(options =>
        {
            options.InstanceMetadata.MaxRetryAttempts = 11;
            options.Container.MaxRetryAttempts = -1;
        }));

        Assert.Single(error.Failures, f => f.Contains("InstanceMetadata.MaxRetryAttempts", StringComparison.Ordinal));
        Assert.Single(error.Failures, f => f.Contains("Container.MaxRetryAttempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AssumeRoleOverASharedCache_DisposingTheRoleLeavesTheCacheServing()
    {
        using ICachedAwsCredentialSource shared = AwsCredentialSources.Cache(AwsCredentialSources.StaticKeys("AKIDSHAREDCACHE00001", "shared-SECRET-do-not-log"));
        IAwsCredentialSource role = AwsCredentialSources.AssumeRole(shared, o => o.AssumeRole.RoleArn = RoleArn);

        role.Dispose();

        Assert.Equal("AKIDSHAREDCACHE00001", (await shared.GetCredentialsAsync(TestContext.Current.CancellationToken)).AccessKeyId);
    }

    [Fact]
    public void StaticKeys_BothBlank_FailsAtOnceNamingTheOptions()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => AwsCredentialSources.StaticKeys(" ", string.Empty));

        Assert.Equal("StaticKeys.AccessKeyId and StaticKeys.SecretAccessKey are required.", Assert.Single(ex.Failures));
    }

    [Fact]
    public void ExcludeOptions_BoundFromConfiguration_LeaveTheirSourcesOutOfTheDefaultChain()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AWS:ExcludeEnvironment"] = "true",
            ["AWS:ExcludeWebIdentity"] = "true",
            ["AWS:ExcludeInstanceMetadata"] = "true",
        }).Build();
        using ServiceProvider provider = new ServiceCollection().AddWorkloadCredentials(configuration).BuildServiceProvider();
        WorkloadCredentialsOptions options = provider.GetRequiredService<IOptions<WorkloadCredentialsOptions>>().Value;

        using var chain = Assert.IsType<CredentialChain>(DefaultCredentialChain.Create(Context(options, new TestEnvironment(), handler: null)));

        Assert.Equal(["StaticKeys", "Profile", "Container"], chain.Links.Select(l => l.Name));
    }

    [Fact]
    public void ExcludeProfile_WithAnExplicitProfile_FailsValidationNamingBothKeys()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Backups:ExcludeProfile"] = "true",
            ["Backups:Profile"] = "backup",
        }).Build();
        using ServiceProvider provider = new ServiceCollection().AddWorkloadCredentials("backups", configuration.GetSection("Backups")).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<WorkloadCredentialsOptions>>().Get("backups"));

        Assert.Contains("Backups:ExcludeProfile is true, but Backups:Profile chooses a profile: remove one of them.", ex.Failures);
    }

    [Fact]
    public void Registry_NamesAndPlacesAreUnique_AndTheDefinitionsSayWhatIssuesRoleCredentials()
    {
        IReadOnlyList<CredentialSourceDefinition> all = SourceDefinitions.All;

        Assert.Equal(["StaticKeys", "Environment", "Profile", "WebIdentity", "Sso", "Container", "InstanceMetadata", "AssumeRole"], all.Select(d => d.Name));
        Assert.Equal(["Sso"], all.Where(d => !d.IsChainLink).Select(d => d.Name));
        Assert.Equal(all.Count, all.Select(d => d.ChainOrder).Distinct().Count());
        Assert.Equal(["WebIdentity", "Sso", "Container", "InstanceMetadata", "AssumeRole"], all.Where(d => d.IssuesRoleCredentials).Select(d => d.Name));
        Assert.True(SourceDefinitions.IsRoleSource("Sso"));
        Assert.True(SourceDefinitions.IsRoleSource("InstanceMetadata"));
        Assert.False(SourceDefinitions.IsRoleSource("Environment"));
        Assert.Equal("Container", SourceDefinitions.ForProfileCredentialSource("EcsContainer")?.Name);
        Assert.Equal("InstanceMetadata", SourceDefinitions.ForProfileCredentialSource("Ec2InstanceMetadata")?.Name);
        Assert.Equal("Environment", SourceDefinitions.ForProfileCredentialSource("Environment")?.Name);
        Assert.Null(SourceDefinitions.ForProfileCredentialSource("Ec2InstanceMetadata ")); // as spelled in the file, exactly
    }

    private static TestEnvironment ImdsOn()
    {
        var environment = new TestEnvironment([new("AWS_EC2_METADATA_DISABLED", "false")]);
        environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = ImdsEndpoint;
        return environment;
    }

    private static TestEnvironment WebIdentityEnvironment(ProfileFiles files, TempDirectory temp)
    {
        var environment = new TestEnvironment([new("AWS_EC2_METADATA_DISABLED", "true")]);
        environment["HOME"] = files.Home;
        environment["AWS_CONFIG_FILE"] = files.ConfigPath;
        environment["AWS_SHARED_CREDENTIALS_FILE"] = files.CredentialsPath;
        environment["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/pod-role";
        environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = temp.Write("token", "jwt-composed-token");
        return environment;
    }

    private static CredentialSourceContext Context(WorkloadCredentialsOptions options, IEnvironment environment, HttpMessageHandler? handler) =>
        NetworkSafety.Guarded(options, environment, TimeProvider.System, httpHandler: handler);

    private static HttpResponseMessage ImdsAnswer(HttpRequestMessage request) => request.RequestUri!.AbsolutePath switch
    {
        "/latest/api/token" => ImdsTestData.Token(),
        "/latest/meta-data/iam/security-credentials/" => ImdsTestData.Text(HttpStatusCode.OK, ImdsTestData.RoleName),
        "/latest/meta-data/iam/security-credentials-extended/" + ImdsTestData.RoleName =>
            ImdsTestData.Text(HttpStatusCode.OK, ImdsTestData.CredentialsJson(DateTimeOffset.UtcNow.AddHours(6))),
        _ => ImdsTestData.Text(HttpStatusCode.NotFound),
    };

    private static HttpResponseMessage Sts(HttpRequestMessage request, List<string> forms, string action)
    {
        string form = WebUtility.UrlDecode(request.Content!.ReadAsStringAsync().GetAwaiter().GetResult());
        forms.Add(form);
        Assert.Contains("Action=" + action, form, StringComparison.Ordinal);
        string body = action == "AssumeRole"
            ? StsXml.AssumeRole(RoleKeyId, "role-SECRET-do-not-log", "role-TOKEN-do-not-log", DateTimeOffset.UtcNow.AddHours(1))
            : StsXml.AssumeRoleWithWebIdentity(WebKeyId, "web-SECRET-do-not-log", "web-TOKEN-do-not-log", DateTimeOffset.UtcNow.AddHours(1));
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };
    }
}
