using Microsoft.Extensions.Logging;

namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>
/// Log messages of the credential chain. Event ids are stable (part of the contract with operators' alerting):
/// <list type="table">
/// <item><term>1101</term><description>SourceChosen (Information): the source the chain resolved with, logged once per chain.</description></item>
/// <item><term>1102</term><description>SourceUnavailable (Debug): a source was skipped, with its reason.</description></item>
/// <item><term>1103</term><description>SourceFailed (Warning): a configured source failed; the chain stopped with its error.</description></item>
/// <item><term>1104</term><description>NoSourceResolved (Debug): every source was unavailable.</description></item>
/// <item><term>1105</term><description>KeysOverrideRole (Warning): keys won while web identity role settings are present; the role is ignored.</description></item>
/// </list>
/// Messages carry source names and reasons only, never a secret.
/// </summary>
internal static partial class ChainLog
{
    public const int SourceChosenId = LogEventIds.Chain + 1;
    public const int SourceUnavailableId = LogEventIds.Chain + 2;
    public const int SourceFailedId = LogEventIds.Chain + 3;
    public const int NoSourceResolvedId = LogEventIds.Chain + 4;
    public const int KeysOverrideRoleId = LogEventIds.Chain + 5;

    [LoggerMessage(EventId = SourceChosenId, EventName = "SourceChosen", Level = LogLevel.Information,
        Message = "AWS credentials resolved by source {SourceName} (access key {AccessKeyId}); the chain keeps using this source")]
    public static partial void SourceChosen(ILogger logger, string sourceName, string accessKeyId);

    [LoggerMessage(EventId = SourceUnavailableId, EventName = "SourceUnavailable", Level = LogLevel.Debug,
        Message = "Credential source {SourceName} unavailable: {Reason}")]
    public static partial void SourceUnavailable(ILogger logger, string sourceName, string reason);

    [LoggerMessage(EventId = SourceFailedId, EventName = "SourceFailed", Level = LogLevel.Warning,
        Message = "Credential source {SourceName} is configured but failed; the chain stops here: {Reason}")]
    public static partial void SourceFailed(ILogger logger, string sourceName, string reason);

    [LoggerMessage(EventId = NoSourceResolvedId, EventName = "NoSourceResolved", Level = LogLevel.Debug,
        Message = "No credential source resolved; tried {SourceCount} sources")]
    public static partial void NoSourceResolved(ILogger logger, int sourceCount);

    [LoggerMessage(EventId = KeysOverrideRoleId, EventName = "KeysOverrideRole", Level = LogLevel.Warning,
        Message = "Keys from source {SourceName} win over the web identity role set by {RoleSetting}; the role is ignored. Remove the keys to use the role")]
    public static partial void KeysOverrideRole(ILogger logger, string sourceName, string roleSetting);
}
