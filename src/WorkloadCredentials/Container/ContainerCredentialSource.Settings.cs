using System.Net;
using Polly;
using Polly.Timeout;
using WorkloadCredentials.Container.Internal;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Container;

/// <summary>The container settings: options and environment resolved and checked.</summary>
internal sealed partial class ContainerCredentialSource
{
    /// <summary>Checks the option ranges; each failure names the option, its range and the value given (for start-up validation).</summary>
    /// <param name="options">The options.</param>
    /// <param name="path">Where the options came from (<c>AWS:Container</c>); <c>ContainerCredentialOptions</c> by default.</param>
    internal static IReadOnlyList<string> ValidateOptions(ContainerCredentialOptions options, SettingPath? path = null)
    {
        Throw.IfNull(options);
        SettingPath at = path ?? SettingPath.OfType(nameof(ContainerCredentialOptions));
        var failures = new List<string>();
        if (options.Timeout is { } timeout && (timeout < TimeSpan.FromMilliseconds(10) || timeout > TimeSpan.FromMinutes(1)))
        {
            failures.Add($"{Name}: {at.Key("Timeout")} is {timeout}; it must lie between {TimeSpan.FromMilliseconds(10)} and {TimeSpan.FromMinutes(1)}.");
        }

        if (options.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add($"{Name}: {at.Key("MaxRetryAttempts")} is {options.MaxRetryAttempts}; it must lie between 0 and 10.");
        }

        return failures;
    }

    private static AwsCredentialException? CheckEndpoint(Uri endpoint)
    {
        try
        {
            _ = ContainerEndpoint.Resolve(relativeUri: null, endpoint.OriginalString, fullSetting: "the endpoint");
            return null;
        }
        catch (AwsCredentialException ex)
        {
            return ex;
        }
    }

    private static ResolvedSettings Resolve(ContainerCredentialOptions options, IEnvironment environment)
    {
        (string? relative, string relativeSetting) = string.IsNullOrWhiteSpace(options.RelativeUri)
            ? (environment.GetNonBlank(ContainerConstants.RelativeUriVariable), ContainerConstants.RelativeUriVariable)
            : (options.RelativeUri, "ContainerCredentialOptions.RelativeUri");
        (string? full, string fullSetting) = options.FullUri is { } fromOptions
            ? (fromOptions.OriginalString, "ContainerCredentialOptions.FullUri")
            : (environment.GetNonBlank(ContainerConstants.FullUriVariable), ContainerConstants.FullUriVariable);
        (string? tokenFile, string tokenFileSetting) = string.IsNullOrWhiteSpace(options.AuthorizationTokenFile)
            ? (environment.GetNonBlank(ContainerConstants.AuthorizationTokenFileVariable), ContainerConstants.AuthorizationTokenFileVariable)
            : (options.AuthorizationTokenFile, "ContainerCredentialOptions.AuthorizationTokenFile");
        (string? token, string tokenSetting) = string.IsNullOrWhiteSpace(options.AuthorizationToken)
            ? (environment.GetNonBlank(ContainerConstants.AuthorizationTokenVariable), ContainerConstants.AuthorizationTokenVariable)
            : (options.AuthorizationToken.Trim(), "ContainerCredentialOptions.AuthorizationToken");

        var settings = new ResolvedSettings
        {
            Token = token,
            TokenSetting = tokenSetting,
            TokenFile = tokenFile,
            TokenFileSetting = tokenFileSetting,
            Timeout = options.Timeout ?? ContainerConstants.DefaultTimeout,
            MaxRetryAttempts = options.MaxRetryAttempts ?? ContainerConstants.DefaultMaxRetryAttempts,
        };

        IReadOnlyList<string> failures = ValidateOptions(options);
        if (failures.Count > 0)
        {
            settings.Error = new AwsCredentialException($"{failures[0]} {ContainerConstants.Troubleshooting}", Name, isRecoverable: false);
            return settings;
        }

        try
        {
            settings.Endpoint = ContainerEndpoint.Resolve(relative, full, relativeSetting, fullSetting);
        }
        catch (AwsCredentialException ex)
        {
            settings.Error = ex;
        }

        return settings;
    }

    private sealed class ResolvedSettings
    {
        public Uri? Endpoint { get; set; }

        public AwsCredentialException? Error { get; set; }

        public string? Token { get; init; }

        public required string TokenSetting { get; init; }

        public string? TokenFile { get; init; }

        public required string TokenFileSetting { get; init; }

        public TimeSpan Timeout { get; init; }

        public int MaxRetryAttempts { get; init; }
    }
}
