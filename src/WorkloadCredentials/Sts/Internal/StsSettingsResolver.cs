using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// Reads the STS client settings from the options and the environment, in the AWS SDKs' order, and validates each value.
/// </summary>
/// <remarks>
/// Region: <see cref="WorkloadCredentialsOptions.Region"/>, <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c> (then, at the first call, the
/// region hints and <c>us-east-1</c>). Endpoint: <see cref="StsOptions.EndpointUrl"/> (code wins, as in every AWS SDK), then
/// <c>AWS_ENDPOINT_URL_STS</c>, then <c>AWS_ENDPOINT_URL</c>, both ignored when <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c>.
/// </remarks>
internal static class StsSettingsResolver
{
    /// <summary>Builds the settings, or throws a non-recoverable <see cref="AwsCredentialException"/> naming the bad setting.</summary>
    public static StsClientSettings Resolve(WorkloadCredentialsOptions options, IEnvironment environment, bool allowAnyHttpHost, string sourceName)
    {
        List<string> errors = Validate(options, environment, allowAnyHttpHost, out StsClientSettings? settings);
        return errors.Count == 0 ? settings! : throw Invalid(sourceName, errors[0]);
    }

    /// <summary>Validates every STS setting, returning all errors; <paramref name="settings"/> is set when there are none.</summary>
    public static List<string> Validate(WorkloadCredentialsOptions options, IEnvironment environment, bool allowAnyHttpHost, out StsClientSettings? settings)
    {
        var errors = new List<string>();
        StsOptions sts = options.Sts ?? new StsOptions();

        (string? region, string regionOrigin) = FirstOf(options.Region, StsConstants.OptionRegion, environment, StsConstants.EnvRegion, StsConstants.EnvDefaultRegion);
        if (region is not null)
        {
            AddIfError(errors, StsValidation.Region(region, regionOrigin));
        }

        bool ignoreEnvEndpoints = environment.GetFlag(StsConstants.EnvIgnoreConfiguredEndpointUrls);
        (string? endpointText, string endpointOrigin) = ignoreEnvEndpoints
            ? (Blank(sts.EndpointUrl), StsConstants.OptionEndpointUrl)
            : FirstOf(sts.EndpointUrl, StsConstants.OptionEndpointUrl, environment, StsConstants.EnvEndpointUrlSts, StsConstants.EnvEndpointUrl);
        Uri? endpoint = null;
        if (endpointText is not null)
        {
            AddIfError(errors, StsValidation.EndpointUrl(endpointText, endpointOrigin, allowAnyHttpHost, out endpoint));
        }

        (string? regional, string regionalOrigin) = FirstOf(sts.RegionalEndpoints, StsConstants.OptionRegionalEndpoints, environment, StsConstants.EnvStsRegionalEndpoints);
        if (regional is not null)
        {
            AddIfError(errors, StsValidation.RegionalEndpoints(regional, regionalOrigin));
        }

        ValidateTimings(sts, errors, SettingPath.Configuration(StsConstants.DefaultOptionsRoot).Child("Sts"));

        settings = errors.Count > 0 ? null : new StsClientSettings
        {
            Region = region,
            RegionOrigin = regionOrigin,
            EndpointUrl = endpoint,
            EndpointOrigin = endpointOrigin,
            LegacyGlobalEndpoint = string.Equals(regional, "legacy", StringComparison.OrdinalIgnoreCase),
            RegionalEndpointsConfigured = regional is not null,
            IgnoreConfiguredEndpointUrls = ignoreEnvEndpoints,
            UseFips = environment.GetFlag(StsConstants.EnvUseFipsEndpoint),
            UseDualStack = environment.GetFlag(StsConstants.EnvUseDualStackEndpoint),
            AttemptTimeout = sts.AttemptTimeout,
            TotalTimeout = sts.TotalTimeout,
            MaxRetryAttempts = sts.MaxRetryAttempts,
            RetryBaseDelay = sts.RetryBaseDelay,
        };
        return errors;
    }

    /// <summary>Validates the options alone (no environment): what start-up validation checks.</summary>
    /// <param name="options">The options.</param>
    /// <param name="errors">Receives the errors.</param>
    /// <param name="root">Where the options came from (a configuration section such as <c>AWS:Backups</c>, or code), which the errors name.</param>
    public static void ValidateOptions(WorkloadCredentialsOptions options, List<string> errors, SettingPath root)
    {
        StsOptions sts = options.Sts ?? new StsOptions();
        SettingPath stsPath = root.Child("Sts");
        if (Blank(options.Region) is { } region)
        {
            AddIfError(errors, StsValidation.Region(region, root.Key("Region")));
        }

        if (Blank(sts.EndpointUrl) is { } endpoint)
        {
            AddIfError(errors, StsValidation.EndpointUrl(endpoint, stsPath.Key("EndpointUrl"), allowAnyHttpHost: false, out _));
        }

        if (Blank(sts.RegionalEndpoints) is { } regional)
        {
            AddIfError(errors, StsValidation.RegionalEndpoints(regional, stsPath.Key("RegionalEndpoints")));
        }

        ValidateTimings(sts, errors, stsPath);
    }

    /// <summary>
    /// Fills what options and the environment left unset with a shared config profile's values (<c>region</c>, <c>endpoint_url</c>
    /// or <c>[services]</c> <c>sts</c> <c>endpoint_url</c>, <c>sts_regional_endpoints</c>), which rank below both, as in the AWS SDKs.
    /// Throws a non-recoverable <see cref="AwsCredentialException"/> naming the profile setting when a value is invalid.
    /// </summary>
    public static StsClientSettings WithProfileFallbacks(
        StsClientSettings settings,
        string? region,
        string regionSetting,
        string? endpointUrl,
        string endpointSetting,
        string? regionalEndpoints,
        string regionalEndpointsSetting,
        bool allowAnyHttpHost,
        string sourceName)
    {
        StsClientSettings result = settings;
        if (result.Region is null && Blank(region) is { } profileRegion)
        {
            result = StsValidation.Region(profileRegion, regionSetting) is { } error
                ? throw Invalid(sourceName, error)
                : result with { Region = profileRegion, RegionOrigin = regionSetting };
        }

        if (result.EndpointUrl is null && !result.IgnoreConfiguredEndpointUrls && Blank(endpointUrl) is { } profileEndpoint)
        {
            result = StsValidation.EndpointUrl(profileEndpoint, endpointSetting, allowAnyHttpHost, out Uri? parsed) is { } error
                ? throw Invalid(sourceName, error)
                : result with { EndpointUrl = parsed, EndpointOrigin = endpointSetting };
        }

        if (!result.RegionalEndpointsConfigured && Blank(regionalEndpoints) is { } profileRegional)
        {
            result = StsValidation.RegionalEndpoints(profileRegional, regionalEndpointsSetting) is { } error
                ? throw Invalid(sourceName, error)
                : result with { LegacyGlobalEndpoint = profileRegional.Equals("legacy", StringComparison.OrdinalIgnoreCase), RegionalEndpointsConfigured = true };
        }

        return result;
    }

    public static AwsCredentialException Invalid(string sourceName, string error) =>
        new($"{sourceName}: {error}", sourceName, isRecoverable: false);

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static (string? Value, string Origin) FirstOf(string? optionValue, string optionName, IEnvironment environment, params string[] variables)
    {
        if (Blank(optionValue) is { } fromOptions)
        {
            return (fromOptions, optionName);
        }

        foreach (string variable in variables)
        {
            if (environment.GetNonBlank(variable) is { } fromEnvironment)
            {
                return (fromEnvironment, variable);
            }
        }

        return (null, optionName);
    }

    private static void ValidateTimings(StsOptions sts, List<string> errors, SettingPath stsPath)
    {
        string attemptName = stsPath.Key("AttemptTimeout");
        string totalName = stsPath.Key("TotalTimeout");
        string? attempt = StsValidation.AttemptTimeout(sts.AttemptTimeout, attemptName);
        string? total = StsValidation.TotalTimeout(sts.TotalTimeout, totalName);
        AddIfError(errors, attempt);
        AddIfError(errors, total);
        if (attempt is null && total is null)
        {
            AddIfError(errors, StsValidation.AttemptWithinTotal(sts.AttemptTimeout, sts.TotalTimeout, attemptName, totalName));
        }

        AddIfError(errors, StsValidation.MaxRetryAttempts(sts.MaxRetryAttempts, stsPath.Key("MaxRetryAttempts")));
        AddIfError(errors, StsValidation.RetryBaseDelay(sts.RetryBaseDelay, stsPath.Key("RetryBaseDelay")));
    }

    private static void AddIfError(List<string> errors, string? error)
    {
        if (error is not null)
        {
            errors.Add(error);
        }
    }
}
