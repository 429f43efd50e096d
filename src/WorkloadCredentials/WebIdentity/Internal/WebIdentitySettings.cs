using WorkloadCredentials.Sts;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.WebIdentity.Internal;

/// <summary>The validated parameters of one web identity source, with the names of the settings they came from (for messages).</summary>
internal sealed record WebIdentitySettings
{
    public required string RoleArn { get; init; }

    public required string TokenFile { get; init; }

    public required string RoleSessionName { get; init; }

    public TimeSpan Duration { get; init; } = StsConstants.DefaultDuration;

    /// <summary>Gets the setting that named the token file, e.g. <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>.</summary>
    public string TokenFileSetting { get; init; } = StsConstants.EnvWebIdentityTokenFile;

    /// <summary>Gets the name the source reports (<c>WebIdentity</c>, or <c>Profile</c> when a profile configures it).</summary>
    public string SourceName { get; init; } = StsConstants.WebIdentitySourceName;

    /// <summary>Validates plain parameters (from options, the environment or a profile) and builds the settings.</summary>
    /// <exception cref="AwsCredentialException">A value is invalid (not recoverable); the message names its setting.</exception>
    public static WebIdentitySettings Create(
        string roleArn,
        string tokenFile,
        string? roleSessionName = null,
        TimeSpan? duration = null,
        string roleArnSetting = StsConstants.EnvRoleArn,
        string tokenFileSetting = StsConstants.EnvWebIdentityTokenFile,
        string roleSessionNameSetting = StsConstants.EnvRoleSessionName,
        string durationSetting = "AWS:WebIdentity:Duration",
        string sourceName = StsConstants.WebIdentitySourceName)
    {
        string arn = Check(roleArn.Trim(), StsValidation.RoleArn(roleArn.Trim(), roleArnSetting), sourceName);
        string? session = StsSettingsResolver.Blank(roleSessionName);
        if (session is not null)
        {
            _ = Check(session, StsValidation.RoleSessionName(session, roleSessionNameSetting), sourceName);
        }

        if (duration is { } d)
        {
            _ = Check(d, StsValidation.Duration(d, durationSetting), sourceName);
        }

        return new WebIdentitySettings
        {
            RoleArn = arn,
            TokenFile = tokenFile.Trim(),
            RoleSessionName = session ?? RoleSessionNames.CreateDefault(),
            Duration = duration ?? StsConstants.DefaultDuration,
            TokenFileSetting = tokenFileSetting,
            SourceName = sourceName,
        };
    }

    private static T Check<T>(T value, string? error, string sourceName) =>
        error is null ? value : throw StsSettingsResolver.Invalid(sourceName, error);
}
