using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

namespace WorkloadCredentials.Tests.Sts.Fakes;

/// <summary>
/// Builds a <see cref="CredentialSourceContext"/> for STS tests: an empty dictionary environment (nothing inherited from the process),
/// options, the clock, and a fake log collector capturing every level.
/// </summary>
public sealed class StsTestHarness : IDisposable
{
    public StsTestHarness()
    {
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(Logs)));
    }

    public FakeLogCollector Logs { get; } = SecretScanLogging.NewCollector();

    public ILoggerFactory LoggerFactory { get; }

    internal DictionaryEnvironment Environment { get; } = new();

    public WorkloadCredentialsOptions Options { get; } = new();

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public HttpMessageHandler? HttpHandler { get; set; }

    internal CredentialSourceContext Context() => new(Options, Environment, TimeProvider, LoggerFactory, HttpHandler);

    /// <summary>Points STS at a loopback server, with short timings so fault tests stay fast.</summary>
    public StsTestHarness UseEndpoint(Uri endpoint, TimeSpan? attemptTimeout = null, TimeSpan? totalTimeout = null, int maxRetryAttempts = 3, TimeSpan? retryBaseDelay = null)
    {
        Options.Region = "eu-west-1";
        Options.Sts.EndpointUrl = endpoint.ToString();
        Options.Sts.AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(2);
        Options.Sts.TotalTimeout = totalTimeout ?? TimeSpan.FromSeconds(5);
        Options.Sts.MaxRetryAttempts = maxRetryAttempts;
        Options.Sts.RetryBaseDelay = retryBaseDelay ?? TimeSpan.FromMilliseconds(10);
        return this;
    }

    /// <summary>Gets every captured log record, message and exception, as one text.</summary>
    public string LogText()
    {
        var text = new StringBuilder();
        foreach (FakeLogRecord record in Logs.GetSnapshot())
        {
            text.AppendLine(record.Message);
            text.AppendLine(record.Exception?.ToString());
            if (record.StructuredState is { } state)
            {
                foreach (KeyValuePair<string, string?> pair in state)
                {
                    text.AppendLine(pair.Value);
                }
            }
        }

        return text.ToString();
    }

    public IReadOnlyList<FakeLogRecord> Records(int eventId) => Logs.GetSnapshot().Where(r => r.Id.Id == eventId).ToList();

    public void Dispose() => LoggerFactory.Dispose();
}
