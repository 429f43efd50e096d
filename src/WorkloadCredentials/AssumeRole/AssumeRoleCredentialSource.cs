using Amazon.SecurityToken.Model;
using WorkloadCredentials.AssumeRole.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Sts;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.AssumeRole;

/// <summary>
/// <c>sts:AssumeRole</c> signed with the credentials of another source (explicit keys, web identity, the instance profile, the whole
/// chain...), with an optional External ID, session policy, tags and source identity. Every call fetches; the cache in front decides when.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Role chaining (the source credentials are role credentials): STS caps the session at one hour, so a longer duration is lowered to one hour with a warning.</description></item>
/// <item><description>When STS rejects the source credentials as expired or unknown and the source is a cache, the cache is told (invalidate) and the call is retried once with fresh source credentials.</description></item>
/// </list>
/// </remarks>
internal sealed class AssumeRoleCredentialSource : IAwsCredentialSource, IBuiltFromContext
{
    private readonly AssumeRoleSettings _settings;
    private readonly IAwsCredentialSource _source;
    private readonly StsSigningCredentials _signing;
    private readonly StsClientProvider _clients;
    private readonly CredentialTelemetry _telemetry;
    private readonly IAwsCredentialSource? _ownedSource;
    private readonly DisposeOnce _disposal;
    private readonly Func<string, bool> _isRoleSource;
    private int _chainingWarned;

    public AssumeRoleCredentialSource(
        AssumeRoleSettings settings,
        IAwsCredentialSource source,
        StsSigningCredentials signing,
        StsClientProvider clients,
        CredentialTelemetry telemetry,
        IAwsCredentialSource? ownedSource = null,
        Func<string, bool>? isRoleSource = null)
    {
        _disposal = new DisposeOnce(settings.SourceName);
        _isRoleSource = isRoleSource ?? (static _ => false);
        _settings = settings;
        _source = source;
        _signing = signing;
        _clients = clients;
        _telemetry = telemetry;
        _ownedSource = ownedSource;
    }

    public AssumeRoleSettings Settings => _settings;

    /// <summary>Gets the source whose credentials sign the call.</summary>
    public IAwsCredentialSource Source => _source;

    /// <inheritdoc/>
    public CredentialSourceContext? BuiltFrom { get; init; }

    public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        _disposal.ThrowIfDisposed();
        AwsCredentials source = await GetSourceCredentialsAsync(cancellationToken).ConfigureAwait(false);
        TimeSpan duration = EffectiveDuration(source);
        StsClient client = await _clients.GetAsync(cancellationToken).ConfigureAwait(false);
        StsResult<AssumeRoleResponse> result = await CallAsync(client, source, duration, cancellationToken).ConfigureAwait(false);
        AwsCredentials? rejectedSource = null;

        if (result.Failure is { } rejected && IsSourceRejection(rejected) && _source is ICachedAwsCredentialSource cache)
        {
            if (_telemetry.IsInformationEnabled)
            {
                _telemetry.SourceCredentialsRejected(_settings.SourceName, source.AccessKeyId, rejected.ErrorCode!);
            }

            cache.Invalidate(source.AccessKeyId);
            AwsCredentials fresh = await GetSourceCredentialsAsync(cancellationToken).ConfigureAwait(false);
            if (!string.Equals(fresh.AccessKeyId, source.AccessKeyId, StringComparison.Ordinal) || !string.Equals(fresh.SessionToken, source.SessionToken, StringComparison.Ordinal))
            {
                rejectedSource = source;
                source = fresh;
                result = await CallAsync(client, source, duration, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (result.Failure is { } limited && duration > StsConstants.RoleChainingMaxDuration && IsRoleChainingLimit(limited))
        {
            WarnChaining(_settings.Duration);
            duration = StsConstants.RoleChainingMaxDuration;
            result = await CallAsync(client, source, duration, cancellationToken).ConfigureAwait(false);
        }

        var context = new StsCallContext
        {
            SourceName = _settings.SourceName,
            Operation = "AssumeRole",
            RoleArn = _settings.RoleArn,
            Settings = _clients.Settings,
            HasExternalId = _settings.ExternalId is not null,
            SourceAccessKeyId = source.AccessKeyId,
        };

        string?[] secrets = [.. Secrets(source), .. rejectedSource is null ? [] : Secrets(rejectedSource)];
        if (result.Failure is { } failure)
        {
            throw StsFailureMessages.ToException(failure, context, secrets);
        }

        AssumeRoleResponse response = result.Response!;
        AwsCredentials credentials = StsCredentialsMapper.Map(response.Credentials, response.AssumedRoleUser, _settings.RoleArn, _settings.SourceName, out string? problem)
            ?? throw StsFailureMessages.ToException(StsFailure.MalformedAnswer(client.Endpoint, result.Attempts, problem), context, secrets);
        if (_telemetry.IsDebugEnabled)
        {
            _telemetry.StsCredentialsIssued(_settings.SourceName, _settings.RoleArn, _settings.RoleSessionName, credentials.AccessKeyId, credentials.Expiration);
        }

        return credentials;
    }

    /// <summary>Disposes the source's STS client and the source it owns (the cache over the default chain); idempotent.</summary>
    public void Dispose()
    {
        if (_disposal.TryDispose())
        {
            _clients.Dispose();
            _ownedSource?.Dispose();
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public async ValueTask DisposeAsync()
    {
        if (_disposal.TryDispose())
        {
            _clients.Dispose();
            if (_ownedSource is not null)
            {
                await _ownedSource.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Gets whether credentials come from a role session, so that assuming another role with them is role chaining: temporary
    /// credentials that name their role, or that come from a source whose definition issues role credentials.
    /// </summary>
    internal bool IsRoleCredentials(AwsCredentials credentials) =>
        credentials.SessionToken is not null && (credentials.RoleArn is not null || _isRoleSource(credentials.SourceName));

    private static bool IsSourceRejection(StsFailure failure) =>
        failure.IsExpiredToken || failure.HasCode("InvalidClientTokenId") || failure.HasCode("UnrecognizedClientException");

    private static bool IsRoleChainingLimit(StsFailure failure) =>
        failure.HasCode("ValidationError") && failure.ServiceMessage?.Contains("chaining", StringComparison.OrdinalIgnoreCase) == true;

    private async ValueTask<AwsCredentials> GetSourceCredentialsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _source.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialUnavailableException ex)
        {
            throw new CredentialUnavailableException(
                $"{_settings.SourceName}: no credentials to assume role {_settings.RoleArn} with. {ex.Message}",
                _settings.SourceName,
                ex);
        }
    }

    private TimeSpan EffectiveDuration(AwsCredentials source)
    {
        if (_settings.Duration > StsConstants.RoleChainingMaxDuration && IsRoleCredentials(source))
        {
            WarnChaining(_settings.Duration);
            return StsConstants.RoleChainingMaxDuration;
        }

        return _settings.Duration;
    }

    private void WarnChaining(TimeSpan requested)
    {
        if (Interlocked.Exchange(ref _chainingWarned, 1) == 0)
        {
            _telemetry.RoleChainingDurationCapped(_settings.SourceName, _settings.RoleArn, requested);
        }
    }

    /// <summary>What an STS answer could echo of this call: the source's secret and session token, the External ID, the session policy.</summary>
    private string?[] Secrets(AwsCredentials source) => [source.SecretAccessKey, source.SessionToken, _settings.ExternalId, _settings.Policy];

    private Task<StsResult<AssumeRoleResponse>> CallAsync(StsClient client, AwsCredentials source, TimeSpan duration, CancellationToken cancellationToken)
    {
        _signing.Set(source);
        var request = new AssumeRoleRequest
        {
            RoleArn = _settings.RoleArn,
            RoleSessionName = _settings.RoleSessionName,
            DurationSeconds = (int)duration.TotalSeconds,
        };
        if (_settings.ExternalId is { } externalId)
        {
            request.ExternalId = externalId;
        }

        if (_settings.Policy is { } policy)
        {
            request.Policy = policy;
        }

        if (_settings.SourceIdentity is { } identity)
        {
            request.SourceIdentity = identity;
        }

        if (_settings.Tags.Count > 0)
        {
            request.Tags = _settings.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();
        }

        return client.AssumeRoleAsync(request, Secrets(source), cancellationToken);
    }
}
