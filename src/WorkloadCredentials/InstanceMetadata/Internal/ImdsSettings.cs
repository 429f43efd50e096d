using System.Globalization;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.InstanceMetadata.Internal;

/// <summary>
/// The instance metadata settings after resolution: options first, then environment variables, then the shared config
/// profile (through a key lookup the profile layer supplies), then defaults. A setting that cannot be used is kept as a
/// <see cref="ConfigurationError"/> and reported when credentials are asked for. Compared by value: clients are shared per settings.
/// </summary>
internal sealed record ImdsSettings
{
    private ImdsSettings()
    {
    }

    /// <summary>Gets the reason the source is turned off, or <see langword="null"/> when it is on.</summary>
    public string? DisabledReason { get; private init; }

    public bool IsDisabled => DisabledReason is not null;

    /// <summary>Gets what is wrong with the settings (the message names the setting and the fix), or <see langword="null"/>.</summary>
    public string? ConfigurationError { get; private init; }

    /// <summary>Gets the endpoint (scheme, host, port, optional base path), never <see langword="null"/> when there is no error.</summary>
    public Uri Endpoint { get; private init; } = ImdsConstants.IPv4Endpoint;

    public bool V1FallbackDisabled { get; private init; }

    /// <summary>Gets the name of the setting that disabled the IMDSv1 fallback, for messages.</summary>
    public string V1FallbackDisabledBy { get; private init; } = ImdsConstants.V1DisabledVariable;

    public string? InstanceProfileName { get; private init; }

    public TimeSpan Timeout { get; private init; } = ImdsConstants.DefaultTimeout;

    public TimeSpan FirstContactTimeout { get; private init; } = ImdsConstants.DefaultFirstContactTimeout;

    public int MaxRetryAttempts { get; private init; } = ImdsConstants.DefaultMaxRetryAttempts;

    /// <summary>
    /// Gets a value indicating whether the first contact retries when nothing answers: only when the number of attempts was set
    /// explicitly (options, <c>AWS_METADATA_SERVICE_NUM_ATTEMPTS</c> or the profile). By default the first contact fails fast.
    /// </summary>
    public bool FirstContactRetriesSilence { get; private init; }

    public TimeSpan TokenTtl { get; private init; } = ImdsConstants.DefaultTokenTtl;

    /// <summary>Resolves the settings. Never throws for bad values: they become <see cref="ConfigurationError"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="environment">The environment seam.</param>
    /// <param name="profileSetting">Looks a key up in the active shared config profile, or <see langword="null"/> when there is no profile.</param>
    public static ImdsSettings Resolve(ImdsCredentialOptions options, IEnvironment environment, Func<string, string?>? profileSetting = null)
    {
        Throw.IfNull(options);
        Throw.IfNull(environment);
        string? Profile(string key) => profileSetting is null ? null : Blank(profileSetting(key));

        if (options.Disabled == true)
        {
            return new ImdsSettings { DisabledReason = "it is turned off by ImdsCredentialOptions.Disabled" };
        }

        if (options.Disabled is null && environment.GetFlag(ImdsConstants.DisabledVariable))
        {
            return new ImdsSettings { DisabledReason = ImdsConstants.DisabledVariable + " is true" };
        }

        IReadOnlyList<string> failures = Validate(options);
        string? error = failures.Count > 0 ? failures[0] : null;
        Uri endpoint = ImdsConstants.IPv4Endpoint;
        try
        {
            endpoint = ResolveEndpoint(options.Endpoint?.OriginalString, options.EndpointMode, environment, profileSetting);
        }
        catch (AwsCredentialException ex)
        {
            error = ex.Message;
        }

        bool v1Disabled;
        string v1DisabledBy;
        if (options.DisableV1Fallback is { } fromOptions)
        {
            v1Disabled = fromOptions;
            v1DisabledBy = "ImdsCredentialOptions.DisableV1Fallback";
        }
        else if (environment.GetNonBlank(ImdsConstants.V1DisabledVariable) is { } fromEnvironment)
        {
            v1Disabled = string.Equals(fromEnvironment, "true", StringComparison.OrdinalIgnoreCase);
            v1DisabledBy = ImdsConstants.V1DisabledVariable + "=true";
        }
        else
        {
            v1Disabled = string.Equals(Profile(ImdsConstants.V1DisabledProfileKey), "true", StringComparison.OrdinalIgnoreCase);
            v1DisabledBy = "the profile's " + ImdsConstants.V1DisabledProfileKey + " = true";
        }

        string? profileName = Blank(options.InstanceProfileName)
            ?? environment.GetNonBlank(ImdsConstants.InstanceProfileNameVariable)
            ?? Profile(ImdsConstants.InstanceProfileNameProfileKey);
        if (profileName is not null && (profileName.Contains('/', StringComparison.Ordinal) || profileName.Any(char.IsWhiteSpace)))
        {
            error ??= $"{ImdsConstants.SourceName}: the instance profile name '{SafeText.Escape(profileName, 64)}' (ImdsCredentialOptions.InstanceProfileName, {ImdsConstants.InstanceProfileNameVariable} or {ImdsConstants.InstanceProfileNameProfileKey}) contains '/' or white space. Give the role name IMDS lists under {ImdsConstants.LegacyCredentialsPath}, or leave it unset to discover it. {ImdsConstants.Troubleshooting}";
        }

        TimeSpan timeout = options.Timeout ?? ImdsConstants.DefaultTimeout;
        bool explicitTimeout = options.Timeout is not null;
        if (options.Timeout is null)
        {
            (string name, string? value) = environment.GetNonBlank(ImdsConstants.TimeoutVariable) is { } t
                ? (ImdsConstants.TimeoutVariable, t)
                : ("the profile's " + ImdsConstants.TimeoutProfileKey, Profile(ImdsConstants.TimeoutProfileKey));
            if (value is not null)
            {
                // The same range as ImdsCredentialOptions.Timeout (the timeout strategy rejects less than 10 ms).
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
                    && seconds >= ImdsConstants.MinTimeout.TotalSeconds && seconds <= ImdsConstants.MaxTimeout.TotalSeconds)
                {
                    timeout = TimeSpan.FromSeconds(seconds);
                    explicitTimeout = true;
                }
                else
                {
                    error ??= $"{ImdsConstants.SourceName}: {name} is '{SafeText.Escape(value, 64)}', which is not a number of seconds between {ImdsConstants.MinTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} and {ImdsConstants.MaxTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}. Set it to a timeout such as 1, or unset it for the default of {HostHttp.FormatDuration(ImdsConstants.DefaultTimeout)}. {ImdsConstants.Troubleshooting}";
                }
            }
        }

        int retries = options.MaxRetryAttempts ?? ImdsConstants.DefaultMaxRetryAttempts;
        bool explicitAttempts = options.MaxRetryAttempts is not null;
        if (options.MaxRetryAttempts is null)
        {
            (string name, string? value) = environment.GetNonBlank(ImdsConstants.AttemptsVariable) is { } a
                ? (ImdsConstants.AttemptsVariable, a)
                : ("the profile's " + ImdsConstants.AttemptsProfileKey, Profile(ImdsConstants.AttemptsProfileKey));
            if (value is not null)
            {
                if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int attempts) && attempts is >= 1 and <= 11)
                {
                    retries = attempts - 1;
                    explicitAttempts = true;
                }
                else
                {
                    error ??= $"{ImdsConstants.SourceName}: {name} is '{SafeText.Escape(value, 64)}', which is not a number of attempts between 1 and 11. Set it to a whole number such as 3, or unset it. {ImdsConstants.Troubleshooting}";
                }
            }
        }

        if (error is not null)
        {
            // Unusable settings: the client reports the error when used; until then it must still be built, with values in range.
            return new ImdsSettings { ConfigurationError = error, Endpoint = endpoint, InstanceProfileName = profileName };
        }

        return new ImdsSettings
        {
            ConfigurationError = error,
            Endpoint = endpoint,
            V1FallbackDisabled = v1Disabled,
            V1FallbackDisabledBy = v1DisabledBy,
            InstanceProfileName = profileName,
            Timeout = timeout,
            // An operator who set the timeout (a slow IMDS proxy such as kube2iam at pod start) means it for the first contact too.
            FirstContactTimeout = options.FirstContactTimeout ?? (explicitTimeout ? timeout : ImdsConstants.DefaultFirstContactTimeout),
            MaxRetryAttempts = retries,
            FirstContactRetriesSilence = explicitAttempts,
            TokenTtl = options.TokenTtl,
        };
    }

    /// <summary>Checks the option ranges; each failure names the option, its range and the value given.</summary>
    /// <param name="options">The options.</param>
    /// <param name="path">Where the options came from (<c>AWS:InstanceMetadata</c>); <c>ImdsCredentialOptions</c> by default.</param>
    public static IReadOnlyList<string> Validate(ImdsCredentialOptions options, SettingPath? path = null)
    {
        Throw.IfNull(options);
        SettingPath at = path ?? SettingPath.OfType(nameof(ImdsCredentialOptions));
        var failures = new List<string>();
        CheckRange(failures, at.Key("Timeout"), options.Timeout, ImdsConstants.MinTimeout, ImdsConstants.MaxTimeout);
        CheckRange(failures, at.Key("FirstContactTimeout"), options.FirstContactTimeout, ImdsConstants.MinTimeout, TimeSpan.FromSeconds(30));
        CheckRange(failures, at.Key("TokenTtl"), options.TokenTtl, TimeSpan.FromSeconds(1), TimeSpan.FromHours(6));
        if (options.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add($"{ImdsConstants.SourceName}: {at.Key("MaxRetryAttempts")} is {options.MaxRetryAttempts}; it must lie between 0 and 10.");
        }

        return failures;
    }

    private static void CheckRange(List<string> failures, string name, TimeSpan? value, TimeSpan min, TimeSpan max)
    {
        if (value is { } v && (v < min || v > max))
        {
            failures.Add($"{ImdsConstants.SourceName}: {name} is {v}; it must lie between {min} and {max}.");
        }
    }

    /// <summary>
    /// Chooses the endpoint the way the AWS SDKs do (smithy-rs <c>imds-endpoint-tests.json</c>): an explicit endpoint, then
    /// <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>, then the profile's <c>ec2_metadata_service_endpoint</c>; only without any of
    /// those, the mode: explicit, then <c>AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE</c>, then the profile's
    /// <c>ec2_metadata_service_endpoint_mode</c>, then IPv4.
    /// </summary>
    /// <exception cref="AwsCredentialException">An endpoint is not an absolute http(s) URI, or a mode is not IPv4/IPv6 (not recoverable).</exception>
    public static Uri ResolveEndpoint(string? endpointOverride, ImdsEndpointMode? modeOverride, IEnvironment environment, Func<string, string?>? profileSetting = null)
    {
        Throw.IfNull(environment);
        string? Profile(string key) => profileSetting is null ? null : Blank(profileSetting(key));

        (string? endpoint, string setting) = Blank(endpointOverride) is { } explicitEndpoint
            ? (explicitEndpoint, "ImdsCredentialOptions.Endpoint")
            : environment.GetNonBlank(ImdsConstants.EndpointVariable) is { } fromEnvironment
                ? (fromEnvironment, ImdsConstants.EndpointVariable)
                : (Profile(ImdsConstants.EndpointProfileKey), "the profile's " + ImdsConstants.EndpointProfileKey);
        if (endpoint is not null)
        {
            if (Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                && !string.IsNullOrEmpty(uri.Host)
                && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo))
            {
                return uri;
            }

            throw new AwsCredentialException(
                $"{ImdsConstants.SourceName}: {setting} is '{SafeText.Escape(endpoint, 128)}', which is not a valid absolute http:// or https:// URI (invalid uri). Set it to the service's base address, such as http://169.254.169.254, or unset it. {ImdsConstants.Troubleshooting}",
                ImdsConstants.SourceName,
                isRecoverable: false);
        }

        if (modeOverride is { } mode)
        {
            return mode == ImdsEndpointMode.IPv6 ? ImdsConstants.IPv6Endpoint : ImdsConstants.IPv4Endpoint;
        }

        (string? modeText, string modeSetting) = environment.GetNonBlank(ImdsConstants.EndpointModeVariable) is { } modeFromEnvironment
            ? (modeFromEnvironment, ImdsConstants.EndpointModeVariable)
            : (Profile(ImdsConstants.EndpointModeProfileKey), "the profile's " + ImdsConstants.EndpointModeProfileKey);
        if (modeText is null || string.Equals(modeText, "IPv4", StringComparison.OrdinalIgnoreCase))
        {
            return ImdsConstants.IPv4Endpoint;
        }

        if (string.Equals(modeText, "IPv6", StringComparison.OrdinalIgnoreCase))
        {
            return ImdsConstants.IPv6Endpoint;
        }

        throw new AwsCredentialException(
            $"{ImdsConstants.SourceName}: `{SafeText.Escape(modeText, 64)}` is not a valid endpoint mode ({modeSetting}). Use IPv4 or IPv6, or unset it. {ImdsConstants.Troubleshooting}",
            ImdsConstants.SourceName,
            isRecoverable: false);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
