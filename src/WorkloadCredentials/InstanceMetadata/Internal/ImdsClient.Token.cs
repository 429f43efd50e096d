using System.Globalization;
using System.Net;
using Polly;
using Polly.Timeout;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.InstanceMetadata.Internal;

/// <summary>The IMDSv2 session token: fetched, reused, refused, and the IMDSv1 fallback window.</summary>
internal sealed partial class ImdsClient
{
    private async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        ImdsSessionToken? token = Volatile.Read(ref _token);
        if (token is not null && token.IsUsable(_timeProvider))
        {
            return token.Value;
        }

        if (InV1Window())
        {
            return null;
        }

        await _tokenLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            token = Volatile.Read(ref _token);
            if (token is not null && token.IsUsable(_timeProvider))
            {
                return token.Value;
            }

            if (InV1Window())
            {
                return null;
            }

            string? value = await FetchTokenAsync(cancellationToken).ConfigureAwait(false);
            if (value is null)
            {
                // Fall back for the requests of the next few minutes (the rest of this refresh), then try IMDSv2 again:
                // never a permanent downgrade, and no token timeout paid on every request of a hop-limited container.
                Volatile.Write(ref _v1Until, _timeProvider.GetTimestamp() + Math.Max(1, (long)(ImdsConstants.V1FallbackWindow.TotalSeconds * _timeProvider.TimestampFrequency)));
            }

            return value;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    private async ValueTask<string?> FetchTokenAsync(CancellationToken cancellationToken)
    {
        bool firstContact = !HasAnswered;
        TimeSpan timeout = firstContact ? Settings.FirstContactTimeout : Settings.Timeout;
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(HttpMethod.Put, ImdsConstants.TokenPath, token: null, (firstContact ? _firstContactPipeline : _tokenPipeline).Value, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            if (Settings.V1FallbackDisabled)
            {
                throw Unreachable(ImdsConstants.TokenPath, ex, firstContact, timeout);
            }

            if (_telemetry.IsInformationEnabled)
            {
                string reason = "got no answer within " + HostHttp.FormatDuration(timeout);
                _telemetry.ImdsV1Fallback(EndpointDisplay, reason);
            }

            return null;
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ImdsConstants.TokenPath, ex, firstContact, timeout);
        }
        catch (HostAnswerTooLargeException)
        {
            throw TooLarge(ImdsConstants.TokenPath);
        }

        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    string value = (await HostHttp.ReadBodyAsync(response, cancellationToken).ConfigureAwait(false)).Text?.Trim() ?? string.Empty;
                    if (value.Length == 0 || value.Any(static c => c is < ' ' or > '~'))
                    {
                        throw new AwsCredentialException(
                            $"{ImdsConstants.SourceName}: the instance metadata service at {EndpointDisplay} answered the IMDSv2 token request ({ImdsConstants.TokenPath}) with an empty or malformed token. If a proxy stands in front of IMDS, check that it supports IMDSv2. {ImdsConstants.Troubleshooting}",
                            ImdsConstants.SourceName,
                            isRecoverable: true);
                    }

                    TimeSpan ttl = Settings.TokenTtl;
                    if (response.Headers.TryGetValues(ImdsConstants.TokenTtlHeader, out IEnumerable<string>? ttlValues)
                        && int.TryParse(ttlValues.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int ttlSeconds)
                        && ttlSeconds > 0 && TimeSpan.FromSeconds(ttlSeconds) < ttl)
                    {
                        ttl = TimeSpan.FromSeconds(ttlSeconds);
                    }

                    Volatile.Write(ref _token, new ImdsSessionToken(value, _timeProvider.GetTimestamp(), ImdsSessionToken.ReuseWindow(ttl)));
                    return value;

                case HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed:
                    // The AWS SDKs differ here: botocore and aws-sdk-go-v2 fall back to IMDSv1 on 403/404/405; smithy-rs and
                    // aws-sdk-net v4 take a 403 to mean "IMDS disabled". We fall back (kube2iam/kiam proxies answer so), unless forbidden.
                    if (Settings.V1FallbackDisabled)
                    {
                        throw new AwsCredentialException(
                            $"{ImdsConstants.SourceName}: the instance metadata service at {EndpointDisplay} answered {HostHttp.DescribeStatus(response.StatusCode)} to the IMDSv2 token request ({ImdsConstants.TokenPath}), and the IMDSv1 fallback is disabled by {Settings.V1FallbackDisabledBy}. A 403 usually means instance metadata is turned off for the instance; a 404/405 usually means a proxy (kube2iam, kiam) that does not support IMDSv2. Enable IMDSv2 on the instance or the proxy, or allow the fallback. {ImdsConstants.Troubleshooting}",
                            ImdsConstants.SourceName,
                            isRecoverable: false);
                    }

                    if (_telemetry.IsInformationEnabled)
                    {
                        string reason = "answered " + HostHttp.DescribeStatus(response.StatusCode);
                        _telemetry.ImdsV1Fallback(EndpointDisplay, reason);
                    }

                    return null;

                case var status when HostHttp.IsRedirect(status):
                    throw Redirected(ImdsConstants.TokenPath, status);

                case HttpStatusCode.BadRequest:
                    throw new AwsCredentialException(
                        $"{ImdsConstants.SourceName}: the instance metadata service at {EndpointDisplay} rejected the IMDSv2 token request ({ImdsConstants.TokenPath}) as bad (400). Check ImdsCredentialOptions.TokenTtl (1 second to 6 hours) and that no proxy alters the request. {ImdsConstants.Troubleshooting}",
                        ImdsConstants.SourceName,
                        isRecoverable: false);

                default:
                    throw new AwsCredentialException(
                        $"{ImdsConstants.SourceName}: the instance metadata service at {EndpointDisplay} answered {HostHttp.DescribeStatus(response.StatusCode)} to the IMDSv2 token request ({ImdsConstants.TokenPath}) after {Settings.MaxRetryAttempts + 1} attempts. This is usually transient; cached credentials stay in use. {ImdsConstants.Troubleshooting}",
                        ImdsConstants.SourceName,
                        isRecoverable: true);
            }
        }
    }

    private bool InV1Window()
    {
        long until = Volatile.Read(ref _v1Until);
        return until != 0 && _timeProvider.GetTimestamp() < until;
    }

    private void InvalidateToken(string rejected)
    {
        ImdsSessionToken? current = Volatile.Read(ref _token);
        if (current is not null && string.Equals(current.Value, rejected, StringComparison.Ordinal))
        {
            Interlocked.CompareExchange(ref _token, null, current);
        }
    }
}
