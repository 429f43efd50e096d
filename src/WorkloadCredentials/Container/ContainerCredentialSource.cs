using System.Net;
using Polly;
using Polly.Timeout;
using WorkloadCredentials.Container.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Container;

/// <summary>
/// Credentials from a container credentials endpoint: the ECS agent (task roles, <c>AWS_CONTAINER_CREDENTIALS_RELATIVE_URI</c>)
/// or the EKS Pod Identity agent (<c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c> with <c>AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE</c>).
/// Every call fetches; the refresh cache wraps it.
/// </summary>
/// <remarks>
/// Not configured (neither URI set): <see cref="CredentialUnavailableException"/>. Configured but failing: <see cref="AwsCredentialException"/>,
/// recoverable for connection errors, timeouts, 5xx/429 (after retries) and unreadable token files; not recoverable for an invalid
/// or disallowed URI, a token with line breaks, and 4xx answers (the token or the URI is wrong).
/// </remarks>
internal sealed partial class ContainerCredentialSource : IAwsCredentialSource, IBuiltFromContext
{
    /// <summary>The source name credentials and errors carry.</summary>
    public const string Name = ContainerConstants.SourceName;

    public const string LoggerCategory = "WorkloadCredentials.Container";

    private readonly Uri? _endpoint;
    private readonly AwsCredentialException? _configurationError;
    private readonly string? _authorizationToken;
    private readonly string _authorizationTokenSetting;
    private readonly string? _authorizationTokenFile;
    private readonly string _authorizationTokenFileSetting;
    private readonly TimeSpan _timeout;
    private readonly int _maxRetryAttempts;
    private readonly HttpClient? _http;
    private readonly ResiliencePipeline<HttpResponseMessage>? _pipeline;
    private readonly CredentialTelemetry _telemetry;
    private readonly string _endpointDisplay = "(not configured)";
    private readonly DisposeOnce _disposal = new(Name);

    /// <summary>
    /// Creates the source of the default chain (and of a profile's <c>credential_source = EcsContainer</c>) from the context:
    /// <see cref="ContainerCredentialOptions"/> first, then the AWS environment variables.
    /// </summary>
    public ContainerCredentialSource(CredentialSourceContext context)
        : this(Resolve(Throw.IfNull(context).Options.Container, context.Environment), context.HttpHandler, context.TimeProvider, context.CreateTelemetry(LoggerCategory), context.ConnectCallback)
    {
        BuiltFrom = context;
    }

    /// <inheritdoc/>
    public CredentialSourceContext? BuiltFrom { get; }

    /// <summary>Creates the source from plain parts.</summary>
    /// <param name="endpoint">The credentials endpoint, already checked (see <see cref="ContainerEndpoint.Resolve"/>).</param>
    /// <param name="authorizationToken">The <c>Authorization</c> header value, or <see langword="null"/>.</param>
    /// <param name="authorizationTokenFile">A file holding it, read at every call; wins over <paramref name="authorizationToken"/>.</param>
    /// <param name="timeout">The time one request may take.</param>
    /// <param name="maxRetryAttempts">How many times a transient failure is retried.</param>
    /// <param name="httpHandler">A handler that replaces the network (tests, replays), or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for timeouts and retry delays.</param>
    /// <param name="telemetry">Where the component reports its events (logs, metrics, spans).</param>
    public ContainerCredentialSource(
        Uri endpoint,
        string? authorizationToken,
        string? authorizationTokenFile,
        TimeSpan timeout,
        int maxRetryAttempts,
        HttpMessageHandler? httpHandler,
        TimeProvider timeProvider,
        CredentialTelemetry telemetry)
        : this(
            Throw.IfNull(endpoint),
            CheckEndpoint(endpoint) ?? CheckRanges(timeout, maxRetryAttempts),
            authorizationToken,
            "the authorization token",
            authorizationTokenFile,
            "the authorization token file",
            timeout,
            maxRetryAttempts,
            httpHandler,
            timeProvider,
            telemetry)
    {
    }

    private ContainerCredentialSource(
        ResolvedSettings settings, HttpMessageHandler? httpHandler, TimeProvider timeProvider, CredentialTelemetry telemetry, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connectCallback)
        : this(
            settings.Endpoint,
            settings.Error,
            settings.Token,
            settings.TokenSetting,
            settings.TokenFile,
            settings.TokenFileSetting,
            settings.Timeout,
            settings.MaxRetryAttempts,
            httpHandler,
            timeProvider,
            telemetry,
            connectCallback)
    {
    }

    private ContainerCredentialSource(
        Uri? endpoint,
        AwsCredentialException? configurationError,
        string? authorizationToken,
        string authorizationTokenSetting,
        string? authorizationTokenFile,
        string authorizationTokenFileSetting,
        TimeSpan timeout,
        int maxRetryAttempts,
        HttpMessageHandler? httpHandler,
        TimeProvider timeProvider,
        CredentialTelemetry telemetry,
        Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connectCallback = null)
    {
        Throw.IfNull(timeProvider);
        _telemetry = Throw.IfNull(telemetry);
        _configurationError = configurationError;
        _endpoint = configurationError is null ? endpoint : null;
        _authorizationToken = string.IsNullOrEmpty(authorizationToken) ? null : authorizationToken;
        _authorizationTokenSetting = authorizationTokenSetting;
        _authorizationTokenFile = string.IsNullOrWhiteSpace(authorizationTokenFile) ? null : authorizationTokenFile.Trim();
        _authorizationTokenFileSetting = authorizationTokenFileSetting;
        _timeout = timeout;
        _maxRetryAttempts = maxRetryAttempts;
        if (_endpoint is null)
        {
            return;
        }

        _endpointDisplay = HostHttp.Display(_endpoint);
        _http = HostHttp.CreateClient(httpHandler, useProxy: _endpoint.Scheme == Uri.UriSchemeHttps, connectCallback);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (maxRetryAttempts > 0)
        {
            builder.AddRetry(new HostRetryStrategyOptions(ContainerConstants.RetryStrategyName, ContainerConstants.DefaultRetryDelay, ContainerConstants.RetryMaxDelay)
            {
                MaxRetryAttempts = maxRetryAttempts,
                OnRetry = args =>
                {
                    if (_telemetry.IsDebugEnabled)
                    {
                        string outcome = args.Outcome.Exception is { } ex ? ex.GetType().Name : HostHttp.DescribeStatus(args.Outcome.Result!.StatusCode);
                        _telemetry.ContainerRetrying(_endpointDisplay, outcome, args.AttemptNumber + 1);
                    }

                    return default;
                },
            });
        }

        _pipeline = builder.AddTimeout(timeout).Build();
    }

    /// <inheritdoc/>
    public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        _disposal.ThrowIfDisposed();
        if (_configurationError is not null)
        {
            // A new exception per call: the configured one is never rethrown (its stack would grow).
            throw _configurationError is CredentialUnavailableException
                ? new CredentialUnavailableException(_configurationError.Message, Name)
                : new AwsCredentialException(_configurationError.Message, Name, isRecoverable: false);
        }

        string? authorization = await ReadAuthorizationAsync(cancellationToken).ConfigureAwait(false);
        if (_telemetry.IsDebugEnabled)
        {
            string described = authorization is null ? "none" : _authorizationTokenFile is not null ? "token file" : "token";
            _telemetry.ContainerFetching(_endpointDisplay, described);
        }

        HttpResponseMessage response;
        using ServiceCall call = _telemetry.StartCall(TelemetryTags.Container, "GetCredentials", _endpoint!.Host, Name);
        try
        {
            response = await _pipeline!.ExecuteAsync(
                static (state, ct) =>
                {
                    state.Call.CountAttempt();
                    return state.Source.SendOnceAsync(state.Authorization, ct);
                },
                (Source: this, Authorization: authorization, Call: call),
                cancellationToken).ConfigureAwait(false);
            call.Answered((int)response.StatusCode);
        }
        catch (HostAnswerTooLargeException ex)
        {
            call.Failed(CredentialTelemetry.ErrorType(ex));
            throw Unusable(HostHttp.TooLargeProblem);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
        {
            call.Failed(CredentialTelemetry.ErrorType(ex));
            throw new AwsCredentialException(
                $"{Name}: the credentials endpoint {_endpointDisplay} did not answer ({HostHttp.DescribeFailure(ex, _timeout)}, {_maxRetryAttempts + 1} attempts). Check that the ECS agent or the EKS Pod Identity agent runs and that {ContainerConstants.FullUriVariable} / {ContainerConstants.RelativeUriVariable} is right; cached credentials stay in use meanwhile. {ContainerConstants.Troubleshooting}",
                Name,
                isRecoverable: true,
                ex);
        }

        using (response)
        {
            (string? body, string? problem) = await HostHttp.ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw StatusError(response.StatusCode, body ?? string.Empty, authorization);
            }

            if (body is null
                || !JsonCredentialsDocument.TryParse(body, out JsonCredentialsDocument? document, out problem)
                || !document!.TryGetCredentials(Name, expirationRequired: true, out AwsCredentials? credentials, out problem))
            {
                throw Unusable(problem!);
            }

            return credentials!;
        }
    }

    /// <summary>Closes the source's connections; idempotent.</summary>
    public void Dispose()
    {
        if (_disposal.TryDispose())
        {
            _http?.Dispose();
        }
    }

    private async ValueTask<HttpResponseMessage> SendOnceAsync(string? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _endpoint);
        request.Headers.Accept.ParseAdd("application/json");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await HostHttp.SendBufferedAsync(_http!, request, cancellationToken).ConfigureAwait(false);
    }

    private AwsCredentialException StatusError(HttpStatusCode status, string body, string? authorization)
    {
        string detail = DescribeErrorBody(body, authorization);
        bool recoverable = HostHttp.IsTransient(status);
        string hint = status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                $"The authorization token was refused: check {_authorizationTokenFileSetting} / {_authorizationTokenSetting} (on EKS, that the pod's service account has a Pod Identity association).",
            HttpStatusCode.BadRequest or HttpStatusCode.NotFound =>
                $"The endpoint does not know this request: check {ContainerConstants.RelativeUriVariable} / {ContainerConstants.FullUriVariable}.",
            _ when HostHttp.IsRedirect(status) =>
                $"The endpoint redirects elsewhere, and redirects are never followed (the token and the credentials must not leave for another address): point {ContainerConstants.FullUriVariable} / {ContainerConstants.RelativeUriVariable} at the agent itself.",
            _ when recoverable => "This is usually transient; cached credentials stay in use.",
            _ => $"Check {ContainerConstants.FullUriVariable} / {ContainerConstants.RelativeUriVariable} and the agent's logs.",
        };
        return new AwsCredentialException(
            $"{Name}: the credentials endpoint {_endpointDisplay} answered {HostHttp.DescribeStatus(status)}{detail}{(recoverable ? $" after {_maxRetryAttempts + 1} attempts" : string.Empty)}. {hint} {ContainerConstants.Troubleshooting}",
            Name,
            recoverable);
    }
}
