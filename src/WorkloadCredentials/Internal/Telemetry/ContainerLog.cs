using Microsoft.Extensions.Logging;

namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>
/// Log messages of the container credentials source. Event ids are stable:
/// <list type="table">
/// <item><term>1701</term><description>Fetching (Debug): credentials are requested from the endpoint.</description></item>
/// <item><term>1702</term><description>Retrying (Debug): a request is retried after a transient failure.</description></item>
/// </list>
/// Messages carry the endpoint (without its query) and statuses, never the authorization token or a secret.
/// </summary>
internal static partial class ContainerLog
{
    public const int FetchingId = LogEventIds.Container + 1;
    public const int RetryingId = LogEventIds.Container + 2;

    [LoggerMessage(EventId = FetchingId, EventName = "Fetching", Level = LogLevel.Debug,
        Message = "Fetching container credentials from {Endpoint} (authorization: {Authorization})")]
    public static partial void Fetching(ILogger logger, string endpoint, string authorization);

    [LoggerMessage(EventId = RetryingId, EventName = "Retrying", Level = LogLevel.Debug,
        Message = "Container credentials at {Endpoint}: retrying after {Outcome} (attempt {Attempt})")]
    public static partial void Retrying(ILogger logger, string endpoint, string outcome, int attempt);
}
