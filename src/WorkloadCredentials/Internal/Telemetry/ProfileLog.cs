using Microsoft.Extensions.Logging;

namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>Log messages of the profile source. Event ids 500-519 belong to it. No message carries a secret.</summary>
internal static partial class ProfileLog
{
    internal const int IdChainResolved = LogEventIds.Profiles + 1;
    internal const int IdCredentialProcessExited = LogEventIds.Profiles + 2;
    internal const int IdFilesRead = LogEventIds.Profiles + 3;

    [LoggerMessage(EventId = IdChainResolved, EventName = "ProfileChainResolved", Level = LogLevel.Debug,
        Message = "Profile source: profile {ProfileName} ({ProfileNameOrigin}) resolves to {Plan}")]
    public static partial void ChainResolved(this ILogger logger, string profileName, string profileNameOrigin, string plan);

    [LoggerMessage(EventId = IdCredentialProcessExited, EventName = "CredentialProcessExited", Level = LogLevel.Debug,
        Message = "Profile source: credential_process of profile {ProfileName} (program {Program}, through a shell: {UsedShell}) exited with code {ExitCode} after {ElapsedMilliseconds} ms")]
    public static partial void CredentialProcessExited(this ILogger logger, string profileName, string program, bool usedShell, int exitCode, long elapsedMilliseconds);

    [LoggerMessage(EventId = IdFilesRead, EventName = "ProfileFilesRead", Level = LogLevel.Trace,
        Message = "Profile source: read {ConfigFile} and {CredentialsFile}: {ProfileCount} profiles")]
    public static partial void FilesRead(this ILogger logger, string configFile, string credentialsFile, int profileCount);
}
