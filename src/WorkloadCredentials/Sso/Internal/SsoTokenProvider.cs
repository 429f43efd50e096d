using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.SSOOIDC.Model;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Sso.Internal;

/// <summary>
/// The bearer token of one session (or start URL), as botocore's token provider gives it: read from the cache file at every call;
/// for an <c>sso_session</c> within <see cref="SsoConstants.RefreshWindow"/> of its expiry, refreshed through SSO OIDC
/// <c>CreateToken</c> with the refresh token and written back to the file. One refresh at a time per cache file in the process:
/// callers that wait for it read the file again and use the token the first one wrote. A failed refresh keeps a token that has not
/// expired yet; an expired one fails naming <c>aws sso login</c>.
/// </summary>
internal sealed class SsoTokenProvider
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> RefreshGates = new(StringComparer.Ordinal);

    private readonly SsoProfileRequest _request;
    private readonly SsoServiceClients _clients;
    private readonly TimeProvider _timeProvider;
    private readonly CredentialTelemetry _telemetry;
    private readonly string _subject;
    private SsoCachedToken? _refreshedInMemory;

    public SsoTokenProvider(SsoProfileRequest request, SsoServiceClients clients, TimeProvider timeProvider, CredentialTelemetry telemetry)
    {
        _request = request;
        _clients = clients;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
        _subject = SsoMessages.Subject(request);
        CachePath = SsoTokenCacheFile.PathFor(request);
    }

    /// <summary>Gets the token cache file, or <see langword="null"/> when no home directory is known.</summary>
    public string? CachePath { get; }

    /// <summary>Reads the cached token without refreshing it (for <c>describe</c>).</summary>
    public SsoCachedToken Peek() => Load();

    public async ValueTask<SsoCachedToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        SsoCachedToken token = Load();
        if (!NeedsRefresh(token))
        {
            return token;
        }

        SemaphoreSlim gate = RefreshGates.GetOrAdd(CachePath!, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have refreshed it while this one waited.
            token = Load();
            return NeedsRefresh(token) ? await RefreshAsync(token, cancellationToken).ConfigureAwait(false) : token;
        }
        finally
        {
            gate.Release();
        }
    }

    private bool NeedsRefresh(SsoCachedToken token)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (token.ExpiresAt - now > SsoConstants.RefreshWindow)
        {
            return false;
        }

        if (_request.SessionName is null || !token.CanRefresh(now))
        {
            // The legacy form is never refreshed (as in every SDK); a token that cannot be is used until it expires.
            return token.ExpiresAt <= now
                ? throw SsoMessages.Expired(_request, token.ExpiresAt, _request.SessionName is null ? "the legacy form (sso_start_url in the profile) has no refresh token; an sso_session has" : token.WhyNotRefreshable(now))
                : false;
        }

        return true;
    }

    private async ValueTask<SsoCachedToken> RefreshAsync(SsoCachedToken token, CancellationToken cancellationToken)
    {
        (Amazon.SSOOIDC.AmazonSSOOIDCClient client, SsoEndpoint endpoint) = _clients.Oidc();
        _telemetry.SsoTokenRefreshing(_subject, token.ExpiresAt, endpoint.Url.AbsoluteUri);
        CreateTokenResponse response;
        try
        {
            var request = new CreateTokenRequest { ClientId = token.ClientId, ClientSecret = token.ClientSecret, GrantType = "refresh_token", RefreshToken = token.RefreshToken };
            response = await SsoCalls.RunAsync(
                _telemetry.StartCall(TelemetryTags.SsoOidc, "CreateToken", endpoint.Url.Host, SsoConstants.SourceName),
                ct => client.CreateTokenAsync(request, ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or OperationCanceledException)
        {
            string reason = ex is AmazonServiceException service ? SsoMessages.Answer(service.StatusCode, service.ErrorCode) : ex.GetType().Name;
            return KeepOrFail(token, endpoint, reason, ex);
        }

        if (string.IsNullOrWhiteSpace(response.AccessToken) || response.ExpiresIn is not > 0)
        {
            return KeepOrFail(token, endpoint, "an answer without an access token or its lifetime", new InvalidOperationException("CreateToken answered without a token"));
        }

        DateTimeOffset expiresAt = _timeProvider.GetUtcNow().AddSeconds(response.ExpiresIn.Value);
        var document = token.Document.DeepClone().AsObject();
        document["accessToken"] = response.AccessToken;
        document["expiresAt"] = SsoTokenCacheFile.FormatDate(expiresAt);
        if (!string.IsNullOrWhiteSpace(response.RefreshToken))
        {
            document["refreshToken"] = response.RefreshToken;
        }

        var refreshed = new SsoCachedToken(document, response.AccessToken, expiresAt)
        {
            RefreshToken = string.IsNullOrWhiteSpace(response.RefreshToken) ? token.RefreshToken : response.RefreshToken,
            ClientId = token.ClientId,
            ClientSecret = token.ClientSecret,
            RegistrationExpiresAt = token.RegistrationExpiresAt,
        };
        try
        {
            SsoTokenCacheFile.Write(CachePath!, document);
            _telemetry.SsoTokenRefreshed(_subject, expiresAt, CachePath!);
            Volatile.Write(ref _refreshedInMemory, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _telemetry.SsoTokenWriteBackFailed(_subject, CachePath!, ex.GetType().Name);
            Volatile.Write(ref _refreshedInMemory, refreshed);
        }

        return refreshed;
    }

    private SsoCachedToken KeepOrFail(SsoCachedToken token, SsoEndpoint endpoint, string reason, Exception cause)
    {
        if (token.ExpiresAt > _timeProvider.GetUtcNow())
        {
            _telemetry.SsoTokenRefreshFailed(_subject, reason, token.ExpiresAt);
            return token;
        }

        throw SsoMessages.RefreshRejected(_request, token.ExpiresAt, endpoint.Url.AbsoluteUri, reason, cause);
    }

    private SsoCachedToken Load()
    {
        string path = CachePath ?? throw SsoMessages.NoHome(_request);
        SsoCachedToken token;
        try
        {
            token = SsoTokenCacheFile.Read(path);
        }
        catch (FileReadException ex) when (ex.Problem == FileReadProblem.NotFound)
        {
            throw SsoMessages.MissingFile(_request, path);
        }
        catch (FileReadException ex)
        {
            throw SsoMessages.Unreadable(_request, path, ex.Message);
        }
        catch (FormatException ex)
        {
            throw SsoMessages.Corrupted(_request, path, ex.Message);
        }

        _telemetry.SsoTokenRead(_subject, path, token.ExpiresAt);

        // A refresh whose write-back failed is kept until the file holds a token that lives as long.
        return Volatile.Read(ref _refreshedInMemory) is { } memory && memory.ExpiresAt > token.ExpiresAt ? memory : token;
    }
}
