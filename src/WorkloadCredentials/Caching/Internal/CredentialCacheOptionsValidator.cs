using System.Globalization;
using Microsoft.Extensions.Options;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Caching.Internal;

/// <summary>The rules of <see cref="CredentialCacheOptions"/> that DataAnnotations cannot express.</summary>
internal static class CredentialCacheOptionsValidator
{
    private static readonly TimeSpan MaxRefreshBeforeExpiry = TimeSpan.FromHours(12);

    /// <summary>Adds an error for each invalid cache option, naming it under <paramref name="path"/> (<c>AWS:Cache</c>).</summary>
    public static void Validate(CredentialCacheOptions options, SettingPath path, ValidateOptionsResultBuilder errors)
    {
        Throw.IfNull(options);
        if (options.RefreshBeforeExpiry is { } window && (window < TimeSpan.Zero || window > MaxRefreshBeforeExpiry))
        {
            errors.AddError(string.Create(
                CultureInfo.InvariantCulture,
                $"{path.Key("RefreshBeforeExpiry")} must lie between 00:00:00 and 12:00:00; it is {window:c}."));
        }

        if (options.RefreshTimeout < CachingConstants.MinRefreshTimeout || options.RefreshTimeout > CachingConstants.MaxRefreshTimeout)
        {
            errors.AddError(string.Create(
                CultureInfo.InvariantCulture,
                $"{path.Key("RefreshTimeout")} must lie between 00:00:01 and 01:00:00; it is {options.RefreshTimeout:c}."));
        }
    }
}
