using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using WorkloadCredentials.Tests.Tool;

namespace WorkloadCredentials.Tests.Infrastructure.SecretScanning;

/// <summary>
/// Proves the suite-wide secret scan catches a leak on every channel, end to end through the real hooks, without failing the
/// suite: each deliberate leak happens inside <see cref="SecretScanner.CaptureLeaks"/>, which diverts it to a list.
/// </summary>
public sealed class SecretScannerTests
{
    private const string ProbeName = SecretScanHooks.TelemetryPrefix + ".Tests.SecretScanProbe";

    [Fact]
    public void Inspect_WholeSecretAndTwelveCharacterFragment_FoundAndMasked()
    {
        string secret = SecretRegistry.Mint(SecretKind.SessionToken);
        string fragment = secret.Substring(20, SecretRegistry.FragmentLength);

        IReadOnlyList<SecretLeak> whole = SecretScanner.Inspect("token=" + secret + " end", "probe");
        IReadOnlyList<SecretLeak> part = SecretScanner.Inspect("echoed <Message>" + fragment + "</Message>", "probe");
        IReadOnlyList<SecretLeak> shorter = SecretScanner.Inspect("echoed " + fragment[..^1], "probe");

        SecretLeak leak = Assert.Single(whole);
        Assert.Equal((SecretKind.SessionToken, "probe"), (leak.Kind, leak.Channel));
        Assert.Contains("minted by " + nameof(Inspect_WholeSecretAndTwelveCharacterFragment_FoundAndMasked), leak.SecretName, StringComparison.Ordinal);
        Assert.Equal("token=*** end", leak.MaskedExcerpt);
        Assert.Equal("echoed <Message>***</Message>", Assert.Single(part).MaskedExcerpt);
        Assert.Empty(shorter);
    }

    [Fact]
    public void Register_ShortOrRepetitiveValues_NotScanned()
    {
        Assert.False(SecretRegistry.Register("too short", SecretKind.SecretAccessKey, "1234567"));
        Assert.True(SecretRegistry.Register("repetitive", SecretKind.SessionToken, new string('Q', 40) + "qr7T-Zk2"));

        Assert.Empty(SecretScanner.Inspect("1234567 " + new string('Q', 30), "probe"));
        Assert.Single(SecretScanner.Inspect("x QQQQqr7T-Zk2 y", "probe"));
    }

    [Fact]
    public void Registry_ExistingTestSecrets_AreRegisteredAtStartUp()
    {
        Dictionary<string, RegisteredSecret> byValue = SecretRegistry.All.ToDictionary(s => s.Value, StringComparer.Ordinal);

        // Named constants of test classes (reflection), an inline literal, moto's fixed keys.
        Assert.Equal(SecretKind.SecretAccessKey, byValue["SENTINEL-secret-wJalrXUtnFEMI/K7MDENG"].Kind);
        Assert.Equal(SecretKind.SessionToken, byValue["SENTINEL-session-token-IQoJb3JpZ2luX2Vj"].Kind);
        Assert.Equal(SecretKind.ContainerAuthorizationToken, byValue["eks-AUTH-token-do-not-log"].Kind);
        Assert.Equal(SecretKind.ImdsToken, byValue["imds-v2-TOKEN-do-not-log"].Kind);
        Assert.Equal(SecretKind.WebIdentityToken, byValue["eyJhbGciOiJSUzI1NiJ9.token-A-payload.signature-A"].Kind);
        Assert.Equal(SecretKind.ExternalId, byValue["partner-external-id-7"].Kind);
        Assert.Equal(SecretKind.ExternalId, byValue["customer-7f3a"].Kind);
        Assert.Contains("moto", byValue["test-secret-key"].Name, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIASECRETSTEST00001", byValue.Keys); // an access key id is not a secret
        Assert.DoesNotContain("AWS_SECRET_ACCESS_KEY", byValue.Keys);
    }

    [Fact]
    public void Log_DeliberateLeakAtTraceLevel_IsCaught()
    {
        string secret = SecretRegistry.Mint(SecretKind.SecretAccessKey);
        var fakeLogger = SecretScanLogging.NewFakeLogger();

        using (SecretScanner.CaptureLeaks(out IReadOnlyList<SecretLeak> captured))
        {
            SecretScanLogging.Logger.Log(LogLevel.Trace, new EventId(7), secret, null, static (s, _) => "body: " + s);
            fakeLogger.Log(LogLevel.Debug, new EventId(8), "nothing here", new InvalidOperationException("inner " + secret), static (s, _) => s);
            SecretScanLogging.LoggerFactory.CreateLogger("Probe").Log(LogLevel.Information, default, "fine", null, static (s, _) => s);

            Assert.Equal(2, captured.Count);
            Assert.StartsWith("log Trace test[7]", captured[0].Channel, StringComparison.Ordinal);
            Assert.Equal(SecretKind.SecretAccessKey, captured[0].Kind);
            Assert.StartsWith("log Debug", captured[1].Channel, StringComparison.Ordinal);
            Assert.All(captured, l => Assert.DoesNotContain(secret[..SecretRegistry.FragmentLength], l.MaskedExcerpt, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Exception_OursWithLeakingInnerException_IsCaughtAtFirstChance()
    {
        string token = SecretRegistry.Mint(SecretKind.WebIdentityToken);

        using (SecretScanner.CaptureLeaks(out IReadOnlyList<SecretLeak> captured))
        {
            // Only the inner message holds the token minus its last character, as the STS echo of issue 9 item 1 did.
            Assert.Throws<AwsCredentialException>((Action)(() => throw new AwsCredentialException(
                "STS rejected the web identity token. See docs/TROUBLESHOOTING.md.",
                new InvalidOperationException("<Message>WebIdentityToken=" + token[..^1] + "</Message>"))));

            SecretLeak leak = Assert.Single(captured);
            Assert.Equal("exception WorkloadCredentials.AwsCredentialException", leak.Channel);
            Assert.Equal(SecretKind.WebIdentityToken, leak.Kind);
            Assert.Contains("WebIdentityToken=***", leak.MaskedExcerpt, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Exception_ThrownAndCaughtOutsideOurCode_IsNotScannedByDefault()
    {
        string secret = SecretRegistry.Mint(SecretKind.SecretAccessKey);

        using (SecretScanner.CaptureLeaks(out IReadOnlyList<SecretLeak> captured))
        {
            Assert.Throws<FormatException>((Action)(() => throw new FormatException("a third-party parser echoing " + secret)));

            Assert.Equal(Environment.GetEnvironmentVariable(SecretScanHooks.ExceptionsVariable) == "all" ? 1 : 0, captured.Count);
        }
    }

    [Fact]
    public async Task ProcessOutput_DeliberateLeakOnStderrAndStdout_IsCaughtUnlessStdoutHoldsCredentials()
    {
        string secret = SecretRegistry.Mint(SecretKind.ContainerAuthorizationToken);
        Dictionary<string, string> environment = ToolRunner.BaseEnvironment(Path.GetTempPath());
        environment["LEAK"] = secret;

        using (SecretScanner.CaptureLeaks(out IReadOnlyList<SecretLeak> captured))
        {
            await ToolRunner.RunProcessAsync("sh", ["-c", "echo \"$LEAK\"; echo \"oops $LEAK\" >&2"], environment);
            Assert.Equal(["sh stderr", "sh stdout"], captured.Select(l => l.Channel).ToArray());

            await ToolRunner.RunProcessAsync("sh", ["-c", "echo \"$LEAK\""], environment, standardOutputHoldsCredentials: true);
            Assert.Equal(2, captured.Count);
        }
    }

    [Fact]
    public void Telemetry_SpanAttributeAndMetricTag_AreCaught()
    {
        string externalId = SecretRegistry.Mint(SecretKind.ExternalId);
        using var source = new ActivitySource(ProbeName);
        using var meter = new Meter(ProbeName);
        Counter<long> counter = meter.CreateCounter<long>("probe.refreshes");

        using (SecretScanner.CaptureLeaks(out IReadOnlyList<SecretLeak> captured))
        {
            using (Activity? activity = source.StartActivity("AssumeRole"))
            {
                Assert.NotNull(activity); // the scan's listener samples every WorkloadCredentials* source
                activity.SetTag("aws.external_id", externalId);
            }

            counter.Add(1, new KeyValuePair<string, object?>("external_id", externalId));

            Assert.Equal([$"span {ProbeName}/AssumeRole", $"metric {ProbeName}/probe.refreshes"], captured.Select(l => l.Channel).ToArray());
            Assert.All(captured, l => Assert.Equal(SecretKind.ExternalId, l.Kind));
        }
    }

    [Fact]
    public void ThrowIfLeaked_LeakRecordedAgainstTest_FailsItNamingChannelKindAndMaskedContext()
    {
        string secret = SecretRegistry.Mint(SecretKind.SecretAccessKey);
        var test = new TestIdentity("secret-scan-proof-" + Guid.NewGuid().ToString("N"), "Proof.Test_Name");
        SecretScanner.Check("refresh failed: secret " + secret[..30] + " rejected", "log Error Cache[103]", test);

        SecretLeakException ex = Assert.Throws<SecretLeakException>(() => SecretScanAttribute.ThrowIfLeaked(test.UniqueId!, test.DisplayName));

        Assert.Contains(
            "- Proof.Test_Name: SecretAccessKey 'minted by ThrowIfLeaked_LeakRecordedAgainstTest_FailsItNamingChannelKindAndMaskedContext' in log Error Cache[103]: \"refresh failed: secret *** rejected\"",
            ex.Message,
            StringComparison.Ordinal);
        Assert.DoesNotContain(secret[..SecretRegistry.FragmentLength], ex.Message, StringComparison.Ordinal);
        SecretScanAttribute.ThrowIfLeaked(test.UniqueId!, test.DisplayName); // reported once
    }
}
