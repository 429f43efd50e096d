using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Sso.Internal;
using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Tests.Profiles;

namespace WorkloadCredentials.Tests.Sso;

/// <summary>
/// A temporary home with a config file and a token cache, a fixed clock, captured logs, and profile sources wired as the default chain
/// wires them, every SSO, OIDC and STS call sent to one <see cref="SsoFakeServer"/> through <c>AWS_ENDPOINT_URL_SSO</c>,
/// <c>AWS_ENDPOINT_URL_SSO_OIDC</c> and <c>AWS_ENDPOINT_URL_STS</c>.
/// </summary>
internal sealed class SsoTestHarness : IDisposable
{
    public const string AccessToken = "access-TOKEN-do-not-log";
    public const string RefreshToken = "refresh-TOKEN-do-not-log";
    public const string ClientSecret = "client-SECRET-do-not-log";
    public const string StartUrl = "https://d-abc123.awsapps.com/start";

    public const string SessionConfig =
        "[profile dev]\nsso_session = dev\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = eu-west-1\n"
        + "[sso-session dev]\nsso_region = eu-west-1\nsso_start_url = " + StartUrl + "\nsso_registration_scopes = sso:account:access\n";

    public const string LegacyConfig =
        "[profile dev]\nsso_start_url = " + StartUrl + "\nsso_region = eu-west-1\nsso_account_id = 123456789012\nsso_role_name = Admin\n";

    public static readonly DateTimeOffset Now = new(2029, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly List<IDisposable> _owned = [];

    /// <param name="instruments">The meter the sources report on (a telemetry test's own), else the default one.</param>
    public SsoTestHarness(SsoFakeServer server, string config = SessionConfig, Dictionary<string, string>? environment = null, CredentialInstruments? instruments = null)
    {
        Files = new ProfileFiles(config);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = Files.Home,
            ["AWS_PROFILE"] = "dev",
            ["AWS_ENDPOINT_URL_SSO"] = server.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_SSO_OIDC"] = server.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_STS"] = server.Endpoint.ToString(),
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        foreach ((string name, string value) in environment ?? [])
        {
            variables[name] = value;
        }

        Time = new FakeTimeProvider(Now);
        LoggerFactory = new LoggerFactory([new FakeLoggerProvider(Logs)], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
        CredentialSourceContext context = NetworkSafety.Guarded(new WorkloadCredentialsOptions(), new DictionaryEnvironment(variables), Time, LoggerFactory);
        Context = instruments is null ? context : new CredentialSourceContext(context.Options, context.Environment, Time, LoggerFactory)
        {
            ConnectCallback = NetworkSafety.LoopbackConnectAsync,
            Instruments = instruments,
        };
    }

    public ProfileFiles Files { get; }

    public FakeTimeProvider Time { get; }

    public FakeLogCollector Logs { get; } = new();

    public ILoggerFactory LoggerFactory { get; }

    public CredentialSourceContext Context { get; }

    /// <summary>Gets the token cache file of the session <c>dev</c>.</summary>
    public string SessionTokenPath => Path.Combine(Files.Home, ".aws", "sso", "cache", SsoTokenCacheFile.FileName("dev"));

    /// <summary>Gets the token cache file of the legacy form (keyed by the start URL).</summary>
    public string LegacyTokenPath => Path.Combine(Files.Home, ".aws", "sso", "cache", SsoTokenCacheFile.FileName(StartUrl));

    /// <summary>A profile source as the default chain builds it; disposed with the harness.</summary>
    public ProfileCredentialSource CreateProfileSource()
    {
        var source = new ProfileCredentialSource(Context, new BuiltInProfileStepFactory(SourceDefinitions.CreateBuildContext(Context)), isWindows: false);
        _owned.Add(source);
        return source;
    }

    /// <summary>Writes a token cache file as <c>aws sso login</c> does (with a refresh token and a client registration when asked).</summary>
    public string WriteToken(string path, DateTimeOffset expiresAt, bool refreshable = true, DateTimeOffset? registrationExpiresAt = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, TokenJson(expiresAt, refreshable, registrationExpiresAt ?? Now.AddDays(90)));
        return path;
    }

    /// <summary>The content of a token cache file: <see cref="AccessToken"/>, and when refreshable the refresh token and client registration.</summary>
    public static string TokenJson(DateTimeOffset expiresAt, bool refreshable, DateTimeOffset registrationExpiresAt)
    {
        var document = new Dictionary<string, string>
        {
            ["startUrl"] = StartUrl,
            ["region"] = "eu-west-1",
            ["accessToken"] = AccessToken,
            ["expiresAt"] = SsoTokenCacheFile.FormatDate(expiresAt),
        };
        if (refreshable)
        {
            document["refreshToken"] = RefreshToken;
            document["clientId"] = "client-id-1";
            document["clientSecret"] = ClientSecret;
            document["registrationExpiresAt"] = SsoTokenCacheFile.FormatDate(registrationExpiresAt);
        }

        return JsonSerializer.Serialize(document);
    }

    /// <summary>No token, refresh token, client secret or role secret in any log record or in the given texts.</summary>
    public void AssertNoSecrets(params string?[] texts)
    {
        string logText = string.Join("\n", Logs.GetSnapshot().Select(r => $"{r.Message} {r.Exception}"));
        foreach (string secret in new[] { AccessToken, RefreshToken, ClientSecret, "refreshed-access-TOKEN", "refreshed-refresh-TOKEN", SsoFakeServer.RoleSecret, SsoFakeServer.RoleSessionToken })
        {
            Assert.DoesNotContain(secret, logText, StringComparison.Ordinal);
            foreach (string? text in texts)
            {
                Assert.DoesNotContain(secret, text ?? string.Empty, StringComparison.Ordinal);
            }
        }
    }

    public void Dispose()
    {
        foreach (IDisposable owned in _owned)
        {
            owned.Dispose();
        }

        LoggerFactory.Dispose();
        Files.Dispose();
    }
}
