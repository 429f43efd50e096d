using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Tests.Infrastructure.SecretScanning;

namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>
/// Builds a <see cref="CredentialSourceContext"/> for host-source tests: an empty environment (never the machine's), options,
/// captured logs, and optionally a fake clock and an in-memory handler.
/// </summary>
internal sealed class HostSourceTestContext
{
    public DictionaryEnvironment Environment { get; } = new();

    public WorkloadCredentialsOptions Options { get; } = new();

    public FakeLogCollector Logs { get; } = SecretScanLogging.NewCollector();

    public CredentialSourceContext Build(TimeProvider? timeProvider = null, HttpMessageHandler? handler = null)
    {
        ILoggerFactory loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Trace)
            .AddProvider(new FakeLoggerProvider(Logs)));
        return NetworkSafety.Guarded(Options, Environment, timeProvider ?? TimeProvider.System, loggerFactory, handler);
    }

    /// <summary>All captured log text: messages, formatted state and exceptions.</summary>
    public string AllLogText() => string.Join(
        "\n",
        Logs.GetSnapshot().Select(r => $"{r.Level} {r.Id} {r.Message} {r.Exception}"));
}
