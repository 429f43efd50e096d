using Microsoft.Extensions.Options;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.Chain.Internal;

/// <summary>
/// The rules of <see cref="WorkloadCredentialsOptions"/> that DataAnnotations cannot express (the source-generated
/// <see cref="WorkloadCredentialsOptionsValidator"/> checks the rest): the STS and cache options, then each registered source's own
/// options. Errors name the configuration key (<c>AWS:Backups:StaticKeys:SecretAccessKey</c>) when the options were bound from
/// configuration, else the option path (<c>StaticKeys.SecretAccessKey</c>): the root is chosen here, once, and every validator
/// builds its errors under it. They never contain the value of a secret.
/// </summary>
internal sealed class WorkloadCredentialsOptionsCustomValidator : IValidateOptions<WorkloadCredentialsOptions>
{
    private readonly Func<string?, string?> _configurationPath;

    /// <param name="configurationPath">Maps an options name to the configuration section it was bound from, or <see langword="null"/>.</param>
    public WorkloadCredentialsOptionsCustomValidator(Func<string?, string?>? configurationPath = null)
    {
        _configurationPath = configurationPath ?? (static _ => null);
    }

    public ValidateOptionsResult Validate(string? name, WorkloadCredentialsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? path = _configurationPath(name);
        SettingPath root = path is null ? SettingPath.Code : SettingPath.Configuration(path);
        var errors = new ValidateOptionsResultBuilder();
        CredentialCacheOptionsValidator.Validate(options.Cache, root.Child("Cache"), errors);
        Collect(options, root, SourceDefinitions.All, errors);
        ValidateOptionsResult result = errors.Build();

        // Options built in code under a name have no section to name: the name tells which registration failed.
        return result.Failed && path is null && !string.IsNullOrEmpty(name)
            ? ValidateOptionsResult.Fail(result.Failures!.Select(failure => $"Credential source '{name}': {failure}"))
            : result;
    }

    /// <summary>
    /// Validates options built in code for some definitions only (the factory methods of <see cref="AwsCredentialSources"/>): the
    /// DataAnnotations rules, the region and STS options, and each definition's own rules.
    /// </summary>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names each wrong option.</exception>
    public static void ThrowIfInvalid(WorkloadCredentialsOptions options, IEnumerable<CredentialSourceDefinition> definitions)
    {
        var errors = new ValidateOptionsResultBuilder();
        errors.AddResult(new WorkloadCredentialsOptionsValidator().Validate(Options.DefaultName, options));
        Collect(options, SettingPath.Code, definitions, errors);
        ValidateOptionsResult result = errors.Build();
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(WorkloadCredentialsOptions), result.Failures);
        }
    }

    private static void Collect(WorkloadCredentialsOptions options, SettingPath root, IEnumerable<CredentialSourceDefinition> definitions, ValidateOptionsResultBuilder errors)
    {
        var stsErrors = new List<string>();
        StsSettingsResolver.ValidateOptions(options, stsErrors, root);
        foreach (string error in stsErrors)
        {
            errors.AddError(error);
        }

        foreach (CredentialSourceDefinition definition in definitions)
        {
            definition.Validate(options, root, errors);
        }
    }
}
