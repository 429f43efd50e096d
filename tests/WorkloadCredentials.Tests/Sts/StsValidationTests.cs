using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.AssumeRole.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Sts.Internal;
using WorkloadCredentials.Tests.Sts.Fakes;
using WorkloadCredentials.WebIdentity.Internal;

using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Sts;

/// <summary>
/// The bad input table: every invalid option (start-up validation) and every invalid environment value (at the source's first call)
/// gets its exact message, which names the setting and never shows a secret, a token or an External ID.
/// </summary>
public sealed class StsValidationTests : IDisposable
{
    private const string ValidRole = "arn:aws:iam::123456789012:role/app-role";
    private const string SecretSentinel = "SENTINELsecretKEYvalue0123456789";
    private const string TokenSentinel = "eyJSENTINEL.web-identity-token.SENTINEL";

    private static readonly Dictionary<string, Action<WorkloadCredentialsOptions>> OptionSetups = new()
    {
        ["Region with spaces"] = o => o.Region = "eu west 1",
        ["Region upper case"] = o => o.Region = "EU-WEST-1",
        ["Region with slash"] = o => o.Region = "eu-west-1/../x",
        ["EndpointUrl without scheme"] = o => o.Sts.EndpointUrl = "sts.example.com",
        ["EndpointUrl ftp"] = o => o.Sts.EndpointUrl = "ftp://sts.example.com",
        ["EndpointUrl plain http remote"] = o => o.Sts.EndpointUrl = "http://sts.example.com",
        ["EndpointUrl with user info"] = o => o.Sts.EndpointUrl = "https://admin:" + SecretSentinel + "@sts.example.com",
        ["EndpointUrl with query"] = o => o.Sts.EndpointUrl = "https://sts.example.com/?X-Amz-Security-Token=" + SecretSentinel,
        ["RegionalEndpoints unknown"] = o => o.Sts.RegionalEndpoints = "global",
        ["AttemptTimeout zero"] = o => o.Sts.AttemptTimeout = TimeSpan.Zero,
        ["TotalTimeout too long"] = o => o.Sts.TotalTimeout = TimeSpan.FromMinutes(10),
        ["AttemptTimeout above TotalTimeout"] = o => (o.Sts.AttemptTimeout, o.Sts.TotalTimeout) = (TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10)),
        ["MaxRetryAttempts negative"] = o => o.Sts.MaxRetryAttempts = -1,
        ["MaxRetryAttempts too many"] = o => o.Sts.MaxRetryAttempts = 11,
        ["RetryBaseDelay negative"] = o => o.Sts.RetryBaseDelay = TimeSpan.FromSeconds(-1),
        ["RetryBaseDelay too long"] = o => o.Sts.RetryBaseDelay = TimeSpan.FromMinutes(1),
        ["WebIdentity RoleArn of a user"] = o => o.WebIdentity.RoleArn = "arn:aws:iam::123456789012:user/bob",
        ["WebIdentity RoleArn without account"] = o => o.WebIdentity.RoleArn = "arn:aws:iam:::role/app",
        ["WebIdentity RoleSessionName too short"] = o => o.WebIdentity.RoleSessionName = "a",
        ["WebIdentity RoleSessionName with space"] = o => o.WebIdentity.RoleSessionName = "my session",
        ["WebIdentity RoleSessionName too long"] = o => o.WebIdentity.RoleSessionName = new string('s', 65),
        ["WebIdentity Duration too short"] = o => o.WebIdentity.Duration = TimeSpan.FromMinutes(10),
        ["WebIdentity Duration too long"] = o => o.WebIdentity.Duration = TimeSpan.FromHours(13),
        ["AssumeRole RoleArn not an ARN"] = o => o.AssumeRole.RoleArn = "customer-role",
        ["AssumeRole RoleArn of a policy"] = o => o.AssumeRole.RoleArn = "arn:aws:iam::123456789012:policy/p",
        ["AssumeRole ExternalId too short"] = o => (o.AssumeRole.RoleArn, o.AssumeRole.ExternalId) = (ValidRole, "x"),
        ["AssumeRole ExternalId bad character"] = o => (o.AssumeRole.RoleArn, o.AssumeRole.ExternalId) = (ValidRole, "ext#" + SecretSentinel),
        ["AssumeRole ExternalId blank"] = o => (o.AssumeRole.RoleArn, o.AssumeRole.ExternalId) = (ValidRole, "   "),
        ["AssumeRole ExternalId too long"] = o => (o.AssumeRole.RoleArn, o.AssumeRole.ExternalId) = (ValidRole, new string('e', 1225)),
        ["AssumeRole ExternalId without RoleArn"] = o => o.AssumeRole.ExternalId = "customer-7f3a",
        ["AssumeRole RoleSessionName bad character"] = o => (o.AssumeRole.RoleArn, o.AssumeRole.RoleSessionName) = (ValidRole, "backup/job"),
        ["AssumeRole Duration too short"] = o => (o.AssumeRole.RoleArn, o.AssumeRole.Duration) = (ValidRole, TimeSpan.FromMinutes(14)),
        ["AssumeRole Duration too long"] = o => (o.AssumeRole.RoleArn, o.AssumeRole.Duration) = (ValidRole, TimeSpan.FromHours(12.5)),
        ["AssumeRole Policy not JSON"] = o => (o.AssumeRole.RoleArn, o.AssumeRole.Policy) = (ValidRole, "allow everything"),
        ["AssumeRole Policy JSON array"] = o => (o.AssumeRole.RoleArn, o.AssumeRole.Policy) = (ValidRole, "[]"),
        ["AssumeRole Policy too long"] = o => (o.AssumeRole.RoleArn, o.AssumeRole.Policy) = (ValidRole, "{\"Version\":\"" + new string('v', 2040) + "\"}"),
        ["AssumeRole too many Tags"] = o => { o.AssumeRole.RoleArn = ValidRole; for (int i = 0; i < 51; i++) { o.AssumeRole.Tags["k" + i] = "v"; } },
        ["AssumeRole Tag key bad"] = o => { o.AssumeRole.RoleArn = ValidRole; o.AssumeRole.Tags["team!"] = "backup"; },
        ["AssumeRole Tag value too long"] = o => { o.AssumeRole.RoleArn = ValidRole; o.AssumeRole.Tags["team"] = new string('v', 257); },
        ["AssumeRole SourceIdentity too short"] = o => (o.AssumeRole.RoleArn, o.AssumeRole.SourceIdentity) = (ValidRole, "x"),
    };

    private readonly StsTestHarness _harness = new();
    private readonly TempDirectory _temp = new();

    public static TheoryData<string, string> OptionCases => new()
    {
        { "Region with spaces", "AWS:Region is not an AWS region name such as eu-west-1 (got 'eu west 1')." },
        { "Region upper case", "AWS:Region is not an AWS region name such as eu-west-1 (got 'EU-WEST-1')." },
        { "Region with slash", "AWS:Region is not an AWS region name such as eu-west-1 (got 'eu-west-1/../x')." },
        { "EndpointUrl without scheme", "AWS:Sts:EndpointUrl must be an absolute https:// URL such as https://sts.eu-west-1.amazonaws.com (got 'sts.example.com')." },
        { "EndpointUrl ftp", "AWS:Sts:EndpointUrl must be an absolute https:// URL such as https://sts.eu-west-1.amazonaws.com (got 'ftp://sts.example.com/')." },
        { "EndpointUrl plain http remote", "AWS:Sts:EndpointUrl uses plain http:// for host 'sts.example.com': STS returns credentials, so use https:// (plain http:// is accepted only for localhost, 127.0.0.1 and ::1)." },
        { "EndpointUrl with user info", "AWS:Sts:EndpointUrl must not carry user information, a query or a fragment (got 'https://sts.example.com/ (details hidden)')." },
        { "EndpointUrl with query", "AWS:Sts:EndpointUrl must not carry user information, a query or a fragment (got 'https://sts.example.com/ (details hidden)')." },
        { "RegionalEndpoints unknown", "AWS:Sts:RegionalEndpoints must be 'regional' or 'legacy' (got 'global')." },
        { "AttemptTimeout zero", "AWS:Sts:AttemptTimeout must lie between 00:00:00.1 and 00:05:00 (got 00:00:00)." },
        { "TotalTimeout too long", "AWS:Sts:TotalTimeout must lie between 00:00:00.1 and 00:05:00 (got 00:10:00)." },
        { "AttemptTimeout above TotalTimeout", "AWS:Sts:AttemptTimeout (00:00:20) must not exceed AWS:Sts:TotalTimeout (00:00:10)." },
        { "MaxRetryAttempts negative", "AWS:Sts:MaxRetryAttempts must lie between 0 and 10 (got -1)." },
        { "MaxRetryAttempts too many", "AWS:Sts:MaxRetryAttempts must lie between 0 and 10 (got 11)." },
        { "RetryBaseDelay negative", "AWS:Sts:RetryBaseDelay must lie between 00:00:00 and 00:00:30 (got -00:00:01)." },
        { "RetryBaseDelay too long", "AWS:Sts:RetryBaseDelay must lie between 00:00:00 and 00:00:30 (got 00:01:00)." },
        { "WebIdentity RoleArn of a user", "AWS:WebIdentity:RoleArn is not an IAM role ARN: expected arn:aws:iam::<account-id>:role/<name>, got 'arn:aws:iam::123456789012:user/bob'." },
        { "WebIdentity RoleArn without account", "AWS:WebIdentity:RoleArn is not an IAM role ARN: expected arn:aws:iam::<account-id>:role/<name>, got 'arn:aws:iam:::role/app'." },
        { "WebIdentity RoleSessionName too short", "AWS:WebIdentity:RoleSessionName must be 2-64 characters of letters, digits and + = , . @ _ - (got 'a', 1 characters)." },
        { "WebIdentity RoleSessionName with space", "AWS:WebIdentity:RoleSessionName must be 2-64 characters of letters, digits and + = , . @ _ - (got 'my session', 10 characters)." },
        { "WebIdentity RoleSessionName too long", $"AWS:WebIdentity:RoleSessionName must be 2-64 characters of letters, digits and + = , . @ _ - (got '{new string('s', 65)}', 65 characters)." },
        { "WebIdentity Duration too short", "AWS:WebIdentity:Duration must lie between 00:15:00 and 12:00:00 (got 00:10:00)." },
        { "WebIdentity Duration too long", "AWS:WebIdentity:Duration must lie between 00:15:00 and 12:00:00 (got 13:00:00)." },
        { "AssumeRole RoleArn not an ARN", "AWS:AssumeRole:RoleArn is not an IAM role ARN: expected arn:aws:iam::<account-id>:role/<name>, got 'customer-role'." },
        { "AssumeRole RoleArn of a policy", "AWS:AssumeRole:RoleArn is not an IAM role ARN: expected arn:aws:iam::<account-id>:role/<name>, got 'arn:aws:iam::123456789012:policy/p'." },
        { "AssumeRole ExternalId too short", "AWS:AssumeRole:ExternalId must be 2-1224 characters of letters, digits and + = , . @ : / _ - (got 1 characters; the value is not shown)." },
        { "AssumeRole ExternalId bad character", "AWS:AssumeRole:ExternalId must be 2-1224 characters of letters, digits and + = , . @ : / _ - (got 36 characters; the value is not shown)." },
        { "AssumeRole ExternalId blank", "AWS:AssumeRole:ExternalId must be 2-1224 characters of letters, digits and + = , . @ : / _ - (got 3 characters; the value is not shown)." },
        { "AssumeRole ExternalId too long", "AWS:AssumeRole:ExternalId must be 2-1224 characters of letters, digits and + = , . @ : / _ - (got 1225 characters; the value is not shown)." },
        { "AssumeRole ExternalId without RoleArn", "AWS:AssumeRole:RoleArn is required when other AWS:AssumeRole settings (ExternalId, RoleSessionName, Duration, Policy, Tags, SourceIdentity) are set." },
        { "AssumeRole RoleSessionName bad character", "AWS:AssumeRole:RoleSessionName must be 2-64 characters of letters, digits and + = , . @ _ - (got 'backup/job', 10 characters)." },
        { "AssumeRole Duration too short", "AWS:AssumeRole:Duration must lie between 00:15:00 and 12:00:00 (got 00:14:00)." },
        { "AssumeRole Duration too long", "AWS:AssumeRole:Duration must lie between 00:15:00 and 12:00:00 (got 12:30:00)." },
        { "AssumeRole Policy not JSON", "AWS:AssumeRole:Policy is not valid JSON; it must be a JSON policy document (an object with Version and Statement)." },
        { "AssumeRole Policy JSON array", "AWS:AssumeRole:Policy must be a JSON policy document (an object with Version and Statement)." },
        { "AssumeRole Policy too long", "AWS:AssumeRole:Policy is 2054 characters long; STS accepts session policies of at most 2048 characters." },
        { "AssumeRole too many Tags", "AWS:AssumeRole:Tags has 51 session tags; STS accepts at most 50." },
        { "AssumeRole Tag key bad", "AWS:AssumeRole:Tags has a tag key 'team!' that is not 1-128 characters of letters, digits, spaces and _ . : / = + - @." },
        { "AssumeRole Tag value too long", "AWS:AssumeRole:Tags has a value for tag 'team' that is not 0-256 characters of letters, digits, spaces and _ . : / = + - @." },
        { "AssumeRole SourceIdentity too short", "AWS:AssumeRole:SourceIdentity must be 2-64 characters of letters, digits and + = , . @ _ - (got 1 characters)." },
    };

    public static TheoryData<string, string, string> EnvironmentCases => new()
    {
        { "AWS_ROLE_ARN", "arn:aws:iam::123456789012:user/bob", "WebIdentity: AWS_ROLE_ARN is not an IAM role ARN: expected arn:aws:iam::<account-id>:role/<name>, got 'arn:aws:iam::123456789012:user/bob'." },
        { "AWS_ROLE_ARN", "role/app-role", "WebIdentity: AWS_ROLE_ARN is not an IAM role ARN: expected arn:aws:iam::<account-id>:role/<name>, got 'role/app-role'." },
        { "AWS_ROLE_SESSION_NAME", "my session", "WebIdentity: AWS_ROLE_SESSION_NAME must be 2-64 characters of letters, digits and + = , . @ _ - (got 'my session', 10 characters)." },
        { "AWS_ROLE_SESSION_NAME", "x", "WebIdentity: AWS_ROLE_SESSION_NAME must be 2-64 characters of letters, digits and + = , . @ _ - (got 'x', 1 characters)." },
        { "AWS_REGION", "eu_west_1", "WebIdentity: AWS_REGION is not an AWS region name such as eu-west-1 (got 'eu_west_1')." },
        { "AWS_DEFAULT_REGION", "evil.example.com/x", "WebIdentity: AWS_DEFAULT_REGION is not an AWS region name such as eu-west-1 (got 'evil.example.com/x')." },
        { "AWS_ENDPOINT_URL_STS", "http://sts.example.com", "WebIdentity: AWS_ENDPOINT_URL_STS uses plain http:// for host 'sts.example.com': STS returns credentials, so use https:// (plain http:// is accepted only for localhost, 127.0.0.1 and ::1)." },
        { "AWS_ENDPOINT_URL_STS", "https://sts.example.com/#" + SecretSentinel, "WebIdentity: AWS_ENDPOINT_URL_STS must not carry user information, a query or a fragment (got 'https://sts.example.com/ (details hidden)')." },
        { "AWS_ENDPOINT_URL", "not a url", "WebIdentity: AWS_ENDPOINT_URL must be an absolute https:// URL such as https://sts.eu-west-1.amazonaws.com (got 'not a url')." },
        { "AWS_ENDPOINT_URL", "http://10.0.0.5:8080", "WebIdentity: AWS_ENDPOINT_URL uses plain http:// for host '10.0.0.5': STS returns credentials, so use https:// (plain http:// is accepted only for localhost, 127.0.0.1 and ::1)." },
        { "AWS_STS_REGIONAL_ENDPOINTS", "sometimes", "WebIdentity: AWS_STS_REGIONAL_ENDPOINTS must be 'regional' or 'legacy' (got 'sometimes')." },
    };

    public void Dispose()
    {
        _harness.Dispose();
        _temp.Dispose();
    }

    [Theory]
    [MemberData(nameof(OptionCases))]
    public void Validate_InvalidOption_FailsWithExactMessage(string setup, string expected)
    {
        var options = new WorkloadCredentialsOptions();
        options.StaticKeys.AccessKeyId = "AKIDEXAMPLE";
        options.StaticKeys.SecretAccessKey = SecretSentinel;
        OptionSetups[setup](options);

        var result = new WorkloadCredentialsOptionsCustomValidator(_ => "AWS").Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal([expected], result.Failures);
        Assert.DoesNotContain(SecretSentinel, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OptionCases_CoverEverySetup()
    {
        Assert.Equal(OptionSetups.Keys.Order(), OptionCases.Select(row => (string)row.Data.Item1).Order());
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789:role/RoleA")] // shorter account id (smithy-rs scenarios)
    [InlineData("arn:aws:iam::1234567890123:role/RoleA")] // 13 digits (smithy-rs web_identity_token_profile): STS judges the account
    [InlineData("arn:aws-us-gov:iam::123456789012:role/path/app-role")]
    public void RoleArn_AccountIdNotPinnedToTwelveDigits_Accepted(string arn) => Assert.Null(StsValidation.RoleArn(arn, "role_arn"));

    [Theory]
    [InlineData("arn:aws:iam::12345678901a:role/RoleA")]
    [InlineData("arn:aws:iam::123456789012345678901234567890123:role/RoleA")] // 33 digits: not an account id
    public void RoleArn_AccountIdNotDigitsOrAbsurdlyLong_Rejected(string arn) =>
        Assert.Contains("is not an IAM role ARN", StsValidation.RoleArn(arn, "role_arn"), StringComparison.Ordinal);

    [Fact]
    public void Validate_DefaultsAndValidValues_Succeed()
    {
        var options = new WorkloadCredentialsOptions { Region = "eu-west-1" };
        options.Sts.EndpointUrl = "http://127.0.0.1:4566";
        options.Sts.RegionalEndpoints = "Legacy";
        options.WebIdentity.RoleArn = "arn:aws-cn:iam::123456789012:role/path/app-role";
        options.WebIdentity.RoleSessionName = "pod@node.example_1";
        options.WebIdentity.Duration = TimeSpan.FromHours(12);
        options.AssumeRole.RoleArn = ValidRole;
        options.AssumeRole.ExternalId = "customer:7f3a/ext=1";
        options.AssumeRole.Duration = TimeSpan.FromMinutes(15);
        options.AssumeRole.Policy = """{"Version":"2012-10-17","Statement":[]}""";
        options.AssumeRole.Tags["cost center"] = "backup/eu-1";
        options.AssumeRole.SourceIdentity = "ops@example";

        Assert.Equal(Microsoft.Extensions.Options.ValidateOptionsResult.Success, new WorkloadCredentialsOptionsCustomValidator(_ => "AWS").Validate(null, options));
        Assert.Equal(Microsoft.Extensions.Options.ValidateOptionsResult.Success, new WorkloadCredentialsOptionsCustomValidator(_ => "AWS").Validate(null, new WorkloadCredentialsOptions()));
    }

    [Fact]
    public void Ctor_Defaults_AreDocumentedValues()
    {
        var sts = new WorkloadCredentials.Sts.StsOptions();
        Assert.Null(sts.EndpointUrl);
        Assert.Null(sts.RegionalEndpoints);
        Assert.Equal(TimeSpan.FromSeconds(5), sts.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), sts.TotalTimeout);
        Assert.Equal(3, sts.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(500), sts.RetryBaseDelay);
        var web = new WorkloadCredentials.WebIdentity.WebIdentityCredentialOptions();
        Assert.Null(web.RoleArn);
        Assert.Null(web.WebIdentityTokenFile);
        Assert.Null(web.RoleSessionName);
        Assert.Null(web.Duration);
        var role = new WorkloadCredentials.AssumeRole.AssumeRoleCredentialOptions();
        Assert.Null(role.RoleArn);
        Assert.Null(role.ExternalId);
        Assert.Null(role.RoleSessionName);
        Assert.Null(role.Duration);
        Assert.Null(role.Policy);
        Assert.Empty(role.Tags);
        Assert.Null(role.SourceIdentity);
    }

    [Theory]
    [MemberData(nameof(EnvironmentCases))]
    public async Task GetCredentialsAsync_InvalidEnvironmentValue_NonRecoverableExactMessage(string variable, string value, string expected)
    {
        _harness.Environment["AWS_ROLE_ARN"] = ValidRole;
        _harness.Environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _temp.Write("token", TokenSentinel);
        _harness.Environment[variable] = value;

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.IsNotType<CredentialUnavailableException>(ex);
        Assert.False(ex.IsRecoverable);
        Assert.Equal("WebIdentity", ex.SourceName);
        Assert.Equal(expected, ex.Message);
        string text = ex + _harness.LogText();
        Assert.DoesNotContain(TokenSentinel, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretSentinel, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrap_InvalidEnvironmentRegion_AssumeRoleNamesVariable()
    {
        _harness.Options.AssumeRole.RoleArn = ValidRole;
        _harness.Environment["AWS_REGION"] = "Frankfurt";

        var ex = await Assert.ThrowsAsync<AwsCredentialException>(() => AssumeRoleChainWrapper.Wrap(new QueuedCredentialSource(new AwsCredentials("AKIDSOURCE", SecretSentinel, null, null, "StaticKeys")), _harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.False(ex.IsRecoverable);
        Assert.Equal("AssumeRole: AWS_REGION is not an AWS region name such as eu-west-1 (got 'Frankfurt').", ex.Message);
        Assert.DoesNotContain(SecretSentinel, ex + _harness.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCredentialsAsync_PlainHttpWithInjectedHandler_RefusedUnlessTheReplaySeamAllowsIt()
    {
        using var handler = RecordingHandler.Answering(StsXml.AssumeRoleWithWebIdentity("ASIAREPLAY", "s-replay", "t-replay", new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        _harness.HttpHandler = handler;
        _harness.Environment["AWS_ROLE_ARN"] = ValidRole;
        _harness.Environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = _temp.Write("token", TokenSentinel);
        _harness.Environment["AWS_ENDPOINT_URL"] = "http://aws.global-env-override";

        // A handler alone relaxes nothing: the rule is the production rule.
        AwsCredentialException refused = await Assert.ThrowsAsync<AwsCredentialException>(
            async () => await WebIdentitySourceFactory.FromContext(_harness.Context()).GetCredentialsAsync(TestContext.Current.CancellationToken));
        Assert.Contains("plain http://", refused.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);

        // The replay seam of the recorded scenarios does.
        var replay = new CredentialSourceContext(_harness.Options, _harness.Environment, _harness.TimeProvider, _harness.LoggerFactory, handler) { AllowPlainHttpToAnyHost = true, ConnectCallback = NetworkSafety.LoopbackConnectAsync };
        AwsCredentials credentials = await WebIdentitySourceFactory.FromContext(replay).GetCredentialsAsync(TestContext.Current.CancellationToken);

        Assert.Equal("ASIAREPLAY", credentials.AccessKeyId);
        Assert.Equal("http://aws.global-env-override/", Assert.Single(handler.Requests).Uri.ToString());
    }

    [Theory]
    [InlineData("http://localhost:4566")]
    [InlineData("http://127.0.0.1:4566")]
    [InlineData("http://127.8.9.10")]
    [InlineData("http://[::1]:4566")]
    public void EndpointUrl_PlainHttpLoopback_Accepted(string url)
    {
        Assert.Null(StsValidation.EndpointUrl(url, "AWS_ENDPOINT_URL_STS", allowAnyHttpHost: false, out Uri? parsed));
        Assert.NotNull(parsed);
    }

    [Theory]
    [InlineData("App", "host-1", "App@host-1")]
    [InlineData("My App (v2)", "pod/ns:1", "My-App--v2@pod-ns-1")]
    [InlineData(null, null, "workload-credentials")]
    [InlineData("", "node", "workload-credentials@node")]
    [InlineData("x", null, "workload-credentials")]
    public void RoleSessionNames_Create_ValidForSts(string? app, string? host, string expected)
    {
        string name = RoleSessionNames.Create(app, host);

        Assert.Equal(expected, name);
        Assert.Null(StsValidation.RoleSessionName(name, "name"));
    }

    [Fact]
    public void RoleSessionNames_CreateLong_TruncatedTo64()
    {
        string name = RoleSessionNames.Create(new string('a', 50), new string('h', 50));

        Assert.Equal(64, name.Length);
        Assert.Null(StsValidation.RoleSessionName(name, "name"));
        Assert.Null(StsValidation.RoleSessionName(RoleSessionNames.CreateDefault(), "name"));
    }
}
