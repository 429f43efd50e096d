using System.Text.Json.Nodes;

namespace WorkloadCredentials.Sso.Internal;

/// <summary>
/// One token cache file of <c>aws sso login</c> (<c>~/.aws/sso/cache/&lt;sha1&gt;.json</c>), read. <see cref="Document"/> keeps every
/// property as written, so a refresh writes back what it does not know unchanged. <see cref="ToString"/> shows no secret.
/// </summary>
internal sealed class SsoCachedToken
{
    public SsoCachedToken(JsonObject document, string accessToken, DateTimeOffset expiresAt)
    {
        Document = document;
        AccessToken = accessToken;
        ExpiresAt = expiresAt;
    }

    /// <summary>Gets the file's JSON object, every property as read.</summary>
    public JsonObject Document { get; }

    /// <summary>Gets the bearer token (a secret).</summary>
    public string AccessToken { get; }

    /// <summary>Gets when the token expires.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Gets the refresh token (a secret), or <see langword="null"/>.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>Gets the registered client's id, or <see langword="null"/>.</summary>
    public string? ClientId { get; init; }

    /// <summary>Gets the registered client's secret (a secret), or <see langword="null"/>.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>Gets when the client registration expires, or <see langword="null"/> when the file does not say.</summary>
    public DateTimeOffset? RegistrationExpiresAt { get; init; }

    /// <summary>Gets whether the token can be refreshed at <paramref name="now"/>: a refresh token and a live client registration (botocore's rule).</summary>
    public bool CanRefresh(DateTimeOffset now) =>
        RefreshToken is not null && ClientId is not null && ClientSecret is not null && RegistrationExpiresAt is { } registration && registration > now;

    /// <summary>Says why <see cref="CanRefresh"/> is false, for messages.</summary>
    public string WhyNotRefreshable(DateTimeOffset now) =>
        RefreshToken is null ? "the cache file holds no refresh token"
        : ClientId is null || ClientSecret is null ? "the cache file holds no client registration (clientId, clientSecret)"
        : RegistrationExpiresAt is not { } registration ? "the cache file does not say when the client registration expires (registrationExpiresAt)"
        : registration <= now ? $"the client registration expired at {registration.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}"
        : "it can be refreshed";

    public override string ToString() => $"SSO token expiring at {ExpiresAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}";
}
