using System.Net;
using Amazon.Runtime;
using Amazon.SSO.Model;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Sso.Internal;

/// <summary>
/// Role credentials of an IAM Identity Center (SSO) profile: the cached token (<see cref="SsoTokenProvider"/>, refreshed for an
/// <c>sso_session</c>), then the portal's <c>GetRoleCredentials</c> for <c>sso_account_id</c> and <c>sso_role_name</c>. The result is a
/// role session (a <c>role_arn</c> on top is role chaining). Every call reads the cache file and calls the portal (the cache wraps
/// this source). Failures name the fix: <c>aws sso login</c>, the account and role, or the endpoint.
/// </summary>
internal sealed class SsoCredentialSource : IAwsCredentialSource, ICachedTokenSource
{
    private readonly SsoProfileRequest _request;
    private readonly SsoServiceClients _clients;
    private readonly SsoTokenProvider _tokens;
    private readonly TimeProvider _timeProvider;
    private readonly CredentialTelemetry _telemetry;
    private readonly DisposeOnce _disposal = new(SsoConstants.SourceName);

    public SsoCredentialSource(CredentialSourceContext context, SsoProfileRequest request)
    {
        Throw.IfNull(context);
        _request = Throw.IfNull(request);
        _timeProvider = context.TimeProvider;
        _telemetry = context.CreateTelemetry("WorkloadCredentials.Sso.SsoCredentialSource");
        _clients = new SsoServiceClients(context, request);
        _tokens = new SsoTokenProvider(request, _clients, context.TimeProvider, _telemetry);
    }

    /// <summary>Gets what the profile asked for.</summary>
    public SsoProfileRequest Request => _request;

    /// <inheritdoc/>
    public DateTimeOffset? PeekTokenExpiration()
    {
        try
        {
            return _tokens.Peek().ExpiresAt;
        }
        catch (AwsCredentialException)
        {
            return null;
        }
    }

    public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        _disposal.ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        if (_request.AccountId is not { } accountId || _request.RoleName is not { } roleName)
        {
            throw SsoMessages.TokenAccessToken(_request);
        }

        SsoCachedToken token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        (Amazon.SSO.AmazonSSOClient client, SsoEndpoint endpoint) = _clients.Portal();
        string url = endpoint.Url.AbsoluteUri;
        GetRoleCredentialsResponse response;
        try
        {
            var request = new GetRoleCredentialsRequest { AccessToken = token.AccessToken, AccountId = accountId, RoleName = roleName };
            response = await SsoCalls.RunAsync(
                _telemetry.StartCall(TelemetryTags.Sso, "GetRoleCredentials", endpoint.Url.Host, SsoConstants.SourceName),
                ct => client.GetRoleCredentialsAsync(request, ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (AmazonServiceException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            throw SsoMessages.PortalRefused(_request, url, ex.StatusCode, ex.ErrorCode, ex);
        }
        catch (AmazonServiceException ex)
        {
            throw SsoMessages.PortalFailed(_request, url, SsoMessages.Answer(ex.StatusCode, ex.ErrorCode), ex);
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or OperationCanceledException or IOException)
        {
            throw SsoMessages.PortalFailed(_request, url, ex is OperationCanceledException ? "no answer in time" : ex.GetType().Name, ex);
        }

        RoleCredentials? role = response.RoleCredentials;
        if (role is null || string.IsNullOrWhiteSpace(role.AccessKeyId) || string.IsNullOrWhiteSpace(role.SecretAccessKey))
        {
            throw SsoMessages.PortalAnswer(_request, url, "no role credentials");
        }

        if (CredentialValueRules.Problem(role.AccessKeyId, role.SecretAccessKey, role.SessionToken) is { } problem)
        {
            throw SsoMessages.PortalAnswer(_request, url, "malformed credentials: " + problem);
        }

        DateTimeOffset? expiration = role.Expiration is { } ms and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        if (expiration is { } expires)
        {
            _telemetry.SsoRoleCredentialsFetched(roleName, accountId, url, expires);
        }

        return new AwsCredentials(role.AccessKeyId, role.SecretAccessKey, role.SessionToken, expiration, SsoConstants.SourceName) { AccountId = accountId };
    }

    public void Dispose()
    {
        if (_disposal.TryDispose())
        {
            _clients.Dispose();
        }
    }
}
