using System.Diagnostics;
using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// One long-lived AWS SDK STS client for one endpoint and one kind of credentials (unsigned for web identity, a source's credentials
/// for assume role), behind a Polly pipeline: a total time budget, retries of transient failures, and a per-attempt timeout.
/// </summary>
internal sealed class StsClient : IDisposable
{
    private readonly AmazonSecurityTokenServiceClient _client;
    private readonly StsHttpClientFactory _httpClients;
    private readonly ResiliencePipeline _pipeline;
    private readonly CredentialTelemetry _telemetry;
    private readonly string _sourceName;
    private readonly TimeProvider _timeProvider;

    public StsClient(
        StsEndpoint endpoint,
        StsClientSettings settings,
        AWSCredentials credentials,
        HttpMessageHandler? httpHandler,
        TimeProvider timeProvider,
        CredentialTelemetry telemetry,
        string sourceName,
        Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connectCallback = null,
        Func<double>? random = null)
    {
        Endpoint = endpoint;
        _telemetry = telemetry;
        _sourceName = sourceName;
        _timeProvider = timeProvider;

        var config = new AmazonSecurityTokenServiceConfig
        {
            // An explicit endpoint and signing region: the SDK never probes for a region (which could reach IMDS) nor resolves an endpoint.
            ServiceURL = endpoint.Url.AbsoluteUri,
            AuthenticationRegion = endpoint.SigningRegion,
            MaxErrorRetry = 0,
            RetryMode = RequestRetryMode.Standard,
            DefaultConfigurationMode = DefaultConfigurationMode.Standard,
            Timeout = settings.AttemptTimeout,
            AllowAutoRedirect = false,
        };

        // Always our own HTTP clients: no redirect is ever followed and answers are capped, with or without an injected handler.
        _httpClients = new StsHttpClientFactory(httpHandler, connectCallback);
        config.HttpClientFactory = _httpClients;

        _client = new AmazonSecurityTokenServiceClient(credentials, config);

        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        builder.AddTimeout(new TimeoutStrategyOptions { Name = "StsTotalTimeout", Timeout = settings.TotalTimeout });
        if (settings.MaxRetryAttempts > 0)
        {
            var retry = new StsRetryStrategyOptions(settings.MaxRetryAttempts, settings.RetryBaseDelay)
            {
                OnRetry = args =>
                {
                    Exception? exception = args.Outcome.Exception;
                    _telemetry.StsRetrying(
                        _sourceName,
                        args.AttemptNumber + 1,
                        exception is null ? "unknown" : Describe(exception),
                        (long)args.RetryDelay.TotalMilliseconds,
                        Endpoint.Url.Host);
                    return default;
                },
            };
            if (random is not null)
            {
                retry.Randomizer = random;
            }

            builder.AddRetry(retry);
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "StsAttemptTimeout", Timeout = settings.AttemptTimeout });
        _pipeline = builder.Build();
    }

    public StsEndpoint Endpoint { get; }

    /// <param name="request">The request.</param>
    /// <param name="secrets">The secrets the call carries, masked wherever an answer could echo them (the web identity token).</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    public Task<StsResult<AssumeRoleWithWebIdentityResponse>> AssumeRoleWithWebIdentityAsync(AssumeRoleWithWebIdentityRequest request, string?[] secrets, CancellationToken cancellationToken) =>
        ExecuteAsync(static (client, r, ct) => client.AssumeRoleWithWebIdentityAsync(r, ct), request, "AssumeRoleWithWebIdentity", request.RoleArn, secrets, cancellationToken);

    /// <param name="request">The request.</param>
    /// <param name="secrets">The secrets the call carries (source secret and session token, External ID, session policy).</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    public Task<StsResult<AssumeRoleResponse>> AssumeRoleAsync(AssumeRoleRequest request, string?[] secrets, CancellationToken cancellationToken) =>
        ExecuteAsync(static (client, r, ct) => client.AssumeRoleAsync(r, ct), request, "AssumeRole", request.RoleArn, secrets, cancellationToken);

    public void Dispose()
    {
        _client.Dispose();
        _httpClients.Dispose();
    }

    /// <summary>Describes a retried failure for the log: only codes this client retries on are quoted, never text from the answer.</summary>
    private static string Describe(Exception exception) => exception switch
    {
        AmazonServiceException { ErrorCode: { Length: > 0 } code } service when StsErrorClassifier.IsTransientCode(code) => $"{code} (HTTP {(int)service.StatusCode})",
        AmazonServiceException service => $"HTTP {(int)service.StatusCode}",
        TimeoutRejectedException timeout => $"no answer within {timeout.Timeout.TotalMilliseconds:0} ms",
        _ => exception.GetType().Name,
    };

    private async Task<StsResult<TResponse>> ExecuteAsync<TRequest, TResponse>(
        Func<AmazonSecurityTokenServiceClient, TRequest, CancellationToken, Task<TResponse>> call,
        TRequest request,
        string operation,
        string? roleArn,
        string?[] secrets,
        CancellationToken cancellationToken)
    {
        using ServiceCall telemetry = _telemetry.StartCall(TelemetryTags.Sts, operation, Endpoint.Url.Host, _sourceName, roleArn);
        var state = new CallState<TRequest, TResponse>(_client, request, call, telemetry);
        long started = _timeProvider.GetTimestamp();
        try
        {
            TResponse response = await _pipeline.ExecuteAsync(
                static async (s, ct) =>
                {
                    s.Attempts++;
                    s.Telemetry.CountAttempt();
                    return await s.Call(s.Client, s.Request, ct).ConfigureAwait(false);
                },
                state,
                cancellationToken).ConfigureAwait(false);
            telemetry.Succeeded();
            return new StsResult<TResponse>(response, null, state.Attempts);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            telemetry.Failed(CredentialTelemetry.ErrorType(ex));
            throw;
        }
        catch (Exception ex)
        {
            StsFailureKind kind = StsErrorClassifier.Classify(ex);
            var service = ex as AmazonServiceException;
            string? code = string.IsNullOrEmpty(service?.ErrorCode) ? null : service.ErrorCode;
            int? status = StsErrorClassifier.StatusCode(ex);
            telemetry.Failed(kind.ToString(), status);
            if (_telemetry.IsDebugEnabled)
            {
                string loggedCode = code is null ? "none" : StsCallFailureException.Clean(code, secrets);
                _telemetry.StsCallFailed(_sourceName, Endpoint.Url.Host, kind.ToString(), loggedCode, state.Attempts, (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds);
            }

            Debug.Assert(state.Attempts >= 0, "attempts counted");
            var failure = new StsFailure(kind, code, service?.Message, status, state.Attempts, Endpoint, ex)
            {
                Detail = kind == StsFailureKind.MalformedResponse ? StsErrorClassifier.MalformedDetail(ex) : null,
            };
            return new StsResult<TResponse>(default, failure, state.Attempts);
        }
    }

    private sealed class CallState<TRequest, TResponse>(
        AmazonSecurityTokenServiceClient client,
        TRequest request,
        Func<AmazonSecurityTokenServiceClient, TRequest, CancellationToken, Task<TResponse>> call,
        ServiceCall telemetry)
    {
        public AmazonSecurityTokenServiceClient Client { get; } = client;

        public TRequest Request { get; } = request;

        public Func<AmazonSecurityTokenServiceClient, TRequest, CancellationToken, Task<TResponse>> Call { get; } = call;

        public ServiceCall Telemetry { get; } = telemetry;

        public int Attempts { get; set; }
    }
}
