using System.Globalization;
using Microsoft.Extensions.Options;

namespace WorkloadCredentials.Internal;

/// <summary>
/// Cross-field rules of <see cref="WorkloadCredentialsOptions"/> that DataAnnotations cannot express. Errors name the configuration
/// key (<c>AWS:StaticKeys:SecretAccessKey</c>) when the options were bound from configuration, else the option path
/// (<c>StaticKeys.SecretAccessKey</c>). They never contain a value of a secret.
/// </summary>
internal sealed class WorkloadCredentialsOptionsCrossValidator : IValidateOptions<WorkloadCredentialsOptions>
{
    private static readonly TimeSpan MaxRefreshBeforeExpiry = TimeSpan.FromHours(12);

    private readonly Func<string?, string?> _configurationPath;

    /// <param name="configurationPath">Maps an options name to the configuration section it was bound from, or <see langword="null"/>.</param>
    public WorkloadCredentialsOptionsCrossValidator(Func<string?, string?>? configurationPath = null)
    {
        _configurationPath = configurationPath ?? (static _ => null);
    }

    public ValidateOptionsResult Validate(string? name, WorkloadCredentialsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? path = _configurationPath(name);
        string prefix = path is null && !string.IsNullOrEmpty(name) ? $"Credential source '{name}': " : string.Empty;
        List<string>? errors = null;

        bool hasKeyId = !string.IsNullOrWhiteSpace(options.StaticKeys.AccessKeyId);
        bool hasSecret = !string.IsNullOrWhiteSpace(options.StaticKeys.SecretAccessKey);
        bool hasToken = !string.IsNullOrWhiteSpace(options.StaticKeys.SessionToken);
        string keyId = Key(path, "StaticKeys", "AccessKeyId");
        string secret = Key(path, "StaticKeys", "SecretAccessKey");
        if (hasKeyId && !hasSecret)
        {
            Add(ref errors, $"{prefix}{secret} is required when {keyId} is set.");
        }
        else if (hasSecret && !hasKeyId)
        {
            Add(ref errors, $"{prefix}{keyId} is required when {secret} is set.");
        }
        else if (hasToken && !hasKeyId)
        {
            Add(ref errors, $"{prefix}{keyId} and {secret} are required when {Key(path, "StaticKeys", "SessionToken")} is set.");
        }

        if (options.Cache.RefreshBeforeExpiry is { } window && (window < TimeSpan.Zero || window > MaxRefreshBeforeExpiry))
        {
            Add(ref errors, string.Create(
                CultureInfo.InvariantCulture,
                $"{prefix}{Key(path, "Cache", "RefreshBeforeExpiry")} must lie between 00:00:00 and 12:00:00; it is {window:c}."));
        }

        if (options.Cache.RefreshTimeout < Caching.CachingConstants.MinRefreshTimeout || options.Cache.RefreshTimeout > Caching.CachingConstants.MaxRefreshTimeout)
        {
            Add(ref errors, string.Create(
                CultureInfo.InvariantCulture,
                $"{prefix}{Key(path, "Cache", "RefreshTimeout")} must lie between 00:00:01 and 01:00:00; it is {options.Cache.RefreshTimeout:c}."));
        }

        // Each source's own rules: STS, web identity and assume role (ExternalId requires RoleArn, ...), IMDS, container.
        foreach (string error in Sts.Internal.StsSourcesOptionsValidator.Collect(options, path ?? Sts.StsConstants.DefaultOptionsRoot))
        {
            Add(ref errors, prefix + error);
        }

        // The host sources name their options by class (they also validate options handed to them directly); here the key is named.
        string imdsKey = Key(path, "InstanceMetadata", string.Empty);
        foreach (string error in InstanceMetadata.Internal.ImdsSettings.Validate(options.InstanceMetadata))
        {
            Add(ref errors, prefix + error.Replace("ImdsCredentialOptions.", imdsKey, StringComparison.Ordinal));
        }

        string containerKey = Key(path, "Container", string.Empty);
        foreach (string error in Container.ContainerCredentialSource.ValidateOptions(options.Container))
        {
            Add(ref errors, prefix + error.Replace("ContainerCredentialOptions.", containerKey, StringComparison.Ordinal));
        }

        return errors is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Key(string? path, string section, string property) =>
        path is null ? $"{section}.{property}" : $"{path}:{section}:{property}";

    private static void Add(ref List<string>? errors, string error) => (errors ??= []).Add(error);
}
