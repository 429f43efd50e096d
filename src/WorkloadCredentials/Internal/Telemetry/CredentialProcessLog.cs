using Microsoft.Extensions.Logging;

namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>Log messages about <c>credential_process</c> beyond its exit (see <see cref="ProfileLog"/>). Event ids 515-519.</summary>
internal static partial class CredentialProcessLog
{
    internal const int IdStandardError = LogEventIds.Profiles + 15;

    [LoggerMessage(EventId = IdStandardError, EventName = "CredentialProcessStandardError", Level = LogLevel.Debug,
        Message = "Profile source: credential_process of profile {ProfileName} failed; the start of its standard error (escaped, key-like text masked): {StandardError}")]
    public static partial void StandardError(this ILogger logger, string profileName, string standardError);
}
