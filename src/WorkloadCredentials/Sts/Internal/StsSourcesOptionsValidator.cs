using Microsoft.Extensions.Options;
using WorkloadCredentials.AssumeRole;
using WorkloadCredentials.AssumeRole.Internal;
using WorkloadCredentials.WebIdentity;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// Start-up validation of the STS, web identity and assume-role options (register with <c>AddOptionsWithValidateOnStart</c>).
/// Each failure names its configuration key; values that may be sensitive (External IDs) are never echoed.
/// </summary>
internal sealed class StsSourcesOptionsValidator : IValidateOptions<WorkloadCredentialsOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkloadCredentialsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = Collect(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Collects every error of the STS, web identity and assume-role options.</summary>
    /// <param name="options">The options.</param>
    /// <param name="root">The configuration section the options were bound from, which the errors name (<c>AWS</c>, <c>AWS:Backups</c>).</param>
    /// <returns>The errors, empty when the options are valid.</returns>
    public static List<string> Collect(WorkloadCredentialsOptions options, string root = StsConstants.DefaultOptionsRoot)
    {
        var errors = new List<string>();
        StsSettingsResolver.ValidateOptions(options, errors, root);

        WebIdentityCredentialOptions webIdentity = options.WebIdentity ?? new WebIdentityCredentialOptions();
        if (StsSettingsResolver.Blank(webIdentity.RoleArn) is { } webRoleArn)
        {
            AddIfError(errors, StsValidation.RoleArn(webRoleArn, $"{root}:WebIdentity:RoleArn"));
        }

        if (StsSettingsResolver.Blank(webIdentity.RoleSessionName) is { } webSession)
        {
            AddIfError(errors, StsValidation.RoleSessionName(webSession, $"{root}:WebIdentity:RoleSessionName"));
        }

        if (webIdentity.Duration is { } webDuration)
        {
            AddIfError(errors, StsValidation.Duration(webDuration, $"{root}:WebIdentity:Duration"));
        }

        AssumeRoleCredentialOptions assumeRole = options.AssumeRole ?? new AssumeRoleCredentialOptions();
        bool anyRoleSetting = !string.IsNullOrEmpty(assumeRole.ExternalId) || StsSettingsResolver.Blank(assumeRole.RoleSessionName) is not null
            || assumeRole.Duration is not null || StsSettingsResolver.Blank(assumeRole.Policy) is not null || assumeRole.Tags.Count > 0
            || StsSettingsResolver.Blank(assumeRole.SourceIdentity) is not null;
        if (AssumeRoleChainWrapper.IsConfigured(options) || anyRoleSetting)
        {
            AssumeRoleSettingNames names = AssumeRoleSettingNames.ForOptions(root);
            List<string> roleErrors = AssumeRoleSettings.Validate(
                assumeRole.RoleArn, assumeRole.ExternalId, assumeRole.RoleSessionName, assumeRole.Duration, assumeRole.Policy, assumeRole.Tags,
                assumeRole.SourceIdentity, names);
            if (!AssumeRoleChainWrapper.IsConfigured(options))
            {
                roleErrors.Remove($"{names.RoleArn} is required.");
                roleErrors.Insert(0, $"{names.RoleArn} is required when other {root}:AssumeRole settings (ExternalId, RoleSessionName, Duration, Policy, Tags, SourceIdentity) are set.");
            }

            errors.AddRange(roleErrors);
        }

        return errors;
    }

    private static void AddIfError(List<string> errors, string? error)
    {
        if (error is not null)
        {
            errors.Add(error);
        }
    }
}
