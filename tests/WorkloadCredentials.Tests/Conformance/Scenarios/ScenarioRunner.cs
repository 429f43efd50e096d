using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Conformance.Scenarios;

/// <summary>What a scenario runs against.</summary>
internal enum ScenarioTarget
{
    /// <summary>The whole default chain behind the refresh cache, as <see cref="AwsCredentialSources.CreateDefault(Action{WorkloadCredentialsOptions}?, TimeProvider?, ILoggerFactory?)"/> builds it.</summary>
    DefaultChain,

    /// <summary>The shared-profile source alone, wired as the default chain wires it (as smithy-rs runs its profile-provider suite).</summary>
    ProfileSource,
}

/// <summary>
/// Runs one smithy-rs scenario: its environment alone (nothing of the machine's), its files in a sandbox, a clock that stands still
/// at the recording's time, and the replay handler as the only network; then judges the traffic and the result.
/// </summary>
internal static class ScenarioRunner
{
    /// <summary>Before every expected expiry (2009-2022): 2009-02-13T22:31:30Z, an hour before Unix time 1234567890.</summary>
    public static readonly DateTimeOffset DefaultClock = DateTimeOffset.FromUnixTimeSeconds(1234567890 - 3600);

    /// <summary>The scenarios whose smithy-rs harness pins the clock to the Unix epoch.</summary>
    public static readonly IReadOnlySet<string> EpochClockScenarios = new HashSet<string>(StringComparer.Ordinal)
    {
        "default-credential-provider-chain/imds_default_chain_success",
        "default-credential-provider-chain/imds_config_with_no_creds",
        "default-credential-provider-chain/imds_default_chain_retries",
    };

    public static async Task RunAndJudgeAsync(string suite, string name, ScenarioTarget target)
    {
        SmithyScenario scenario = SmithyScenario.Load(suite, name);
        ScenarioExpectation expectation = ScenarioExpectations.For(scenario);
        using ScenarioSandbox sandbox = ScenarioSandbox.Create(scenario);

        var handler = new ScenarioReplayHandler(scenario.Exchanges, expectation.Appendix);
        var time = new InstantSleepTimeProvider(EpochClockScenarios.Contains(scenario.Id) ? DateTimeOffset.UnixEpoch : DefaultClock);
        var logs = SecretScanLogging.NewCollector();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        var context = new CredentialSourceContext(
            new WorkloadCredentialsOptions(),
            new DictionaryEnvironment(sandbox.Environment),
            time,
            loggerFactory,
            handler)
        {
            // The recordings use plain http:// endpoints such as http://aws.sts-env-override, answered by the replay.
            AllowPlainHttpToAnyHost = true,
            ConnectCallback = NetworkSafety.LoopbackConnectAsync,
        };

        AwsCredentials? credentials = null;
        Exception? failure = null;
        try
        {
            credentials = await ResolveAsync(context, target);
        }
        catch (Exception ex) when (ex is AwsCredentialException or HttpRequestException)
        {
            failure = ex;
        }

        ITestOutputHelper? output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{scenario.Id}: {(credentials is not null ? "credentials from " + credentials.SourceName : failure!.GetType().Name + ": " + failure.Message)}");
        output?.WriteLine("sent: " + string.Join(" | ", handler.Sent));
        output?.WriteLine($"extended-API requests answered 404 (unrecorded): {handler.ExtendedApiProbes.Count}; backoff sleeps: {time.Sleeps}");
        if (expectation.Difference is { } difference)
        {
            output?.WriteLine("deliberate difference from smithy-rs: " + difference);
        }

        handler.AssertComplete();
        Assert.Equal(expectation.ExtendedApiProbes, handler.ExtendedApiProbes);
        Assert.True(time.Sleeps >= expectation.MinimumBackoffSleeps, $"{time.Sleeps} backoff sleep(s), expected at least {expectation.MinimumBackoffSleeps}");

        if (expectation.Credentials is { } expected)
        {
            Assert.True(failure is null, $"expected credentials, got {failure?.GetType().Name}: {failure?.Message}");
            Assert.NotNull(credentials);
            Assert.Equal(expected.AccessKeyId, credentials.AccessKeyId);
            Assert.Equal(expected.SecretAccessKey, credentials.SecretAccessKey);
            Assert.Equal(expected.SessionToken, credentials.SessionToken);
            Assert.Equal(expected.AccountId, credentials.AccountId);
            Assert.Equal(expected.ExpiryText, credentials.Expiration is { } e ? e.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "(none)");
            Assert.Equal(expected.Expiry, credentials.Expiration?.ToUnixTimeSeconds());
            if (expectation.SourceName is { } sourceName)
            {
                Assert.Equal(sourceName, credentials.SourceName);
            }
        }
        else
        {
            Assert.True(credentials is null, $"expected a failure ({expectation.Category}: {expectation.Phrase}), got credentials from {credentials?.SourceName}");
            AwsCredentialException error = Assert.IsAssignableFrom<AwsCredentialException>(failure);
            switch (expectation.Category)
            {
                case ErrorCategory.Unavailable:
                    Assert.IsType<CredentialUnavailableException>(error);
                    break;
                case ErrorCategory.Failed:
                    Assert.IsNotType<CredentialUnavailableException>(error);
                    break;
                default:
                    Assert.Fail($"{scenario.Id}: no error category chosen for the Rust error '{scenario.ExpectedErrorContains}'");
                    break;
            }

            Assert.Contains(expectation.Phrase!, error.Message, StringComparison.Ordinal);
            if (expectation.SecondPhrase is { } second)
            {
                Assert.Contains(second, error.Message, StringComparison.Ordinal);
            }
            if (expectation.Recoverable is { } recoverable)
            {
                Assert.Equal(recoverable, error.IsRecoverable);
            }
        }

        string logText = string.Join("\n", logs.GetSnapshot().Select(r => $"{r.Message} {r.Exception}"));
        foreach (string secret in expectation.Secrets(scenario))
        {
            Assert.DoesNotContain(secret, logText, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, failure?.ToString() ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, credentials?.ToString() ?? string.Empty, StringComparison.Ordinal);
        }
    }

    private static async Task<AwsCredentials> ResolveAsync(CredentialSourceContext context, ScenarioTarget target)
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        if (target == ScenarioTarget.DefaultChain)
        {
            using var cached = AwsCredentialSources.CreateDefault(context);
            return await cached.GetCredentialsAsync(cancellationToken);
        }

        // As DefaultCredentialChain.Create wires the profile link.
        Func<string, string?> profileSettings = WorkloadCredentials.Profiles.Internal.SelectedProfileSettings.Create(context);
        var regionHint = new DefaultRegionHint(context, profileSettings);
        var source = new ProfileCredentialSource(context, new WorkloadCredentials.Profiles.Internal.BuiltInProfileStepFactory(SourceDefinitions.CreateBuildContext(context, profileSettings, regionHint)));
        return await source.GetCredentialsAsync(cancellationToken);
    }
}
