using WorkloadCredentials.Sts;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.AssumeRole.Internal;

/// <summary>The validated parameters of one assume-role source.</summary>
internal sealed record AssumeRoleSettings
{
    public required string RoleArn { get; init; }

    public required string RoleSessionName { get; init; }

    public string? ExternalId { get; init; }

    public TimeSpan Duration { get; init; } = StsConstants.DefaultDuration;

    public string? Policy { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public string? SourceIdentity { get; init; }

    /// <summary>Gets the name the source reports (<c>AssumeRole</c>, or <c>Profile</c> when a profile configures it).</summary>
    public string SourceName { get; init; } = StsConstants.AssumeRoleSourceName;

    /// <summary>
    /// Validates every parameter and returns all the errors (empty when valid). A missing role ARN gives <paramref name="missingRoleArn"/>
    /// when one is given, else "&lt;role ARN setting&gt; is required.".
    /// </summary>
    public static List<string> Validate(
        string? roleArn,
        string? externalId,
        string? roleSessionName,
        TimeSpan? duration,
        string? policy,
        IDictionary<string, string>? tags,
        string? sourceIdentity,
        AssumeRoleSettingNames names,
        string? missingRoleArn = null)
    {
        var errors = new List<string>();
        if (StsSettingsResolver.Blank(roleArn) is not { } arn)
        {
            errors.Add(missingRoleArn ?? $"{names.RoleArn} is required.");
        }
        else
        {
            Add(errors, StsValidation.RoleArn(arn, names.RoleArn));
        }

        // Empty counts as unset (configuration binding yields ""), but an External ID of spaces is a mistake and fails the check.
        if (!string.IsNullOrEmpty(externalId))
        {
            Add(errors, StsValidation.ExternalId(externalId, names.ExternalId));
        }

        if (StsSettingsResolver.Blank(roleSessionName) is { } session)
        {
            Add(errors, StsValidation.RoleSessionName(session, names.RoleSessionName));
        }

        if (duration is { } d)
        {
            Add(errors, StsValidation.Duration(d, names.Duration));
        }

        if (StsSettingsResolver.Blank(policy) is { } p)
        {
            Add(errors, StsValidation.Policy(p, names.Policy));
        }

        errors.AddRange(StsValidation.Tags(tags, names.Tags));
        if (StsSettingsResolver.Blank(sourceIdentity) is { } identity)
        {
            Add(errors, StsValidation.SourceIdentity(identity, names.SourceIdentity));
        }

        return errors;
    }

    /// <summary>Validates plain parameters (from options or a profile) and builds the settings.</summary>
    /// <exception cref="AwsCredentialException">A value is invalid (not recoverable); the message names its setting.</exception>
    public static AssumeRoleSettings Create(
        string roleArn,
        string? externalId = null,
        string? roleSessionName = null,
        TimeSpan? duration = null,
        string? policy = null,
        IDictionary<string, string>? tags = null,
        string? sourceIdentity = null,
        AssumeRoleSettingNames? names = null,
        string sourceName = StsConstants.AssumeRoleSourceName)
    {
        List<string> errors = Validate(roleArn, externalId, roleSessionName, duration, policy, tags, sourceIdentity, names ?? AssumeRoleSettingNames.Options);
        if (errors.Count > 0)
        {
            throw StsSettingsResolver.Invalid(sourceName, errors[0]);
        }

        return new AssumeRoleSettings
        {
            RoleArn = roleArn.Trim(),
            ExternalId = string.IsNullOrEmpty(externalId) ? null : externalId,
            RoleSessionName = StsSettingsResolver.Blank(roleSessionName) ?? RoleSessionNames.CreateDefault(),
            Duration = duration ?? StsConstants.DefaultDuration,
            Policy = StsSettingsResolver.Blank(policy),
            Tags = tags is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(tags, StringComparer.Ordinal),
            SourceIdentity = StsSettingsResolver.Blank(sourceIdentity),
            SourceName = sourceName,
        };
    }

    /// <summary>Describes the settings without the External ID's value (it is shared with a third party) or the session policy.</summary>
    /// <returns>A redacted description.</returns>
    public override string ToString() =>
        $"AssumeRoleSettings {{ RoleArn = {RoleArn}, RoleSessionName = {RoleSessionName}, ExternalId = {(ExternalId is null ? "none" : "***")}, Duration = {Duration}, Policy = {(Policy is null ? "none" : "(set)")}, Tags = {Tags.Count}, SourceIdentity = {SourceIdentity ?? "none"}, SourceName = {SourceName} }}";

    private static void Add(List<string> errors, string? error)
    {
        if (error is not null)
        {
            errors.Add(error);
        }
    }
}
