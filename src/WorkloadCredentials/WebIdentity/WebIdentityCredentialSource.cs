using Amazon.SecurityToken.Model;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Sts.Internal;
using WorkloadCredentials.WebIdentity.Internal;

namespace WorkloadCredentials.WebIdentity;

/// <summary>
/// Web identity (EKS IRSA): reads the token file at every call and exchanges the token for role credentials with the unsigned
/// <c>sts:AssumeRoleWithWebIdentity</c>. Every call fetches; the refresh cache in front of it decides when.
/// </summary>
/// <remarks>
/// When STS answers <c>ExpiredTokenException</c> or <c>InvalidIdentityToken</c>, the file is read again and, if it now holds a
/// different (rotated) token, the call is retried once with it. Retrying the very token STS has just rejected cannot help, so it is not sent again.
/// </remarks>
internal sealed class WebIdentityCredentialSource : IAwsCredentialSource, IBuiltFromContext
{
    private readonly WebIdentitySettings _settings;
    private readonly StsClientProvider _clients;
    private readonly CredentialTelemetry _telemetry;
    private readonly DisposeOnce _disposal;

    public WebIdentityCredentialSource(WebIdentitySettings settings, StsClientProvider clients, CredentialTelemetry telemetry)
    {
        _disposal = new DisposeOnce(settings.SourceName);
        _settings = settings;
        _clients = clients;
        _telemetry = telemetry;
    }

    public WebIdentitySettings Settings => _settings;

    /// <inheritdoc/>
    public CredentialSourceContext? BuiltFrom { get; init; }

    public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        _disposal.ThrowIfDisposed();
        string token = await WebIdentityTokenFile.ReadAsync(_settings, cancellationToken).ConfigureAwait(false);
        StsClient client = await _clients.GetAsync(cancellationToken).ConfigureAwait(false);
        StsResult<AssumeRoleWithWebIdentityResponse> result = await CallAsync(client, token, cancellationToken).ConfigureAwait(false);
        string? rejectedToken = null;

        if (result.Failure is { } rejected && (rejected.IsExpiredToken || rejected.HasCode("InvalidIdentityToken") || rejected.HasCode("InvalidIdentityTokenException")))
        {
            string reread = await WebIdentityTokenFile.ReadAsync(_settings, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(reread, token, StringComparison.Ordinal))
            {
                _telemetry.WebIdentityTokenRotatedRetry(_settings.SourceName, rejected.ErrorCode!, _settings.TokenFile);
                rejectedToken = token;
                token = reread;
                result = await CallAsync(client, token, cancellationToken).ConfigureAwait(false);
            }
        }

        var context = new StsCallContext
        {
            SourceName = _settings.SourceName,
            Operation = "AssumeRoleWithWebIdentity",
            RoleArn = _settings.RoleArn,
            Settings = _clients.Settings,
            TokenFile = _settings.TokenFile,
        };

        if (result.Failure is { } failure)
        {
            throw StsFailureMessages.ToException(failure, context, token, rejectedToken);
        }

        AssumeRoleWithWebIdentityResponse response = result.Response!;
        AwsCredentials credentials = StsCredentialsMapper.Map(response.Credentials, response.AssumedRoleUser, _settings.RoleArn, _settings.SourceName, out string? problem)
            ?? throw StsFailureMessages.ToException(StsFailure.MalformedAnswer(client.Endpoint, result.Attempts, problem), context, token, rejectedToken);
        if (_telemetry.IsDebugEnabled)
        {
            _telemetry.StsCredentialsIssued(_settings.SourceName, _settings.RoleArn, _settings.RoleSessionName, credentials.AccessKeyId, credentials.Expiration);
        }

        return credentials;
    }

    /// <summary>Disposes the source's STS client (its connections); idempotent.</summary>
    public void Dispose()
    {
        if (_disposal.TryDispose())
        {
            _clients.Dispose();
        }
    }

    private Task<StsResult<AssumeRoleWithWebIdentityResponse>> CallAsync(StsClient client, string token, CancellationToken cancellationToken) =>
        client.AssumeRoleWithWebIdentityAsync(
            new AssumeRoleWithWebIdentityRequest
            {
                RoleArn = _settings.RoleArn,
                RoleSessionName = _settings.RoleSessionName,
                WebIdentityToken = token,
                DurationSeconds = (int)_settings.Duration.TotalSeconds,
            },
            [token],
            cancellationToken);
}
