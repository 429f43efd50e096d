namespace WorkloadCredentials.Internal;

/// <summary>
/// A source whose credentials rest on a token another tool caches on disk (IAM Identity Center: <c>aws sso login</c>), so that
/// <c>describe</c> can say when that token expires without knowing the source's folder.
/// </summary>
internal interface ICachedTokenSource
{
    /// <summary>Reads when the cached token expires, refreshing and calling nothing; <see langword="null"/> when no token can be read.</summary>
    /// <returns>The token's expiry; never the token.</returns>
    DateTimeOffset? PeekTokenExpiration();
}
