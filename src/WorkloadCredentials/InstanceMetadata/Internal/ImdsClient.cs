using System.Globalization;
using System.Net;
using Polly;
using Polly.Timeout;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.InstanceMetadata.Internal;

/// <summary>
/// An EC2 instance metadata (IMDS) client on <see cref="HttpClient"/>:
/// <list type="bullet">
/// <item><description>IMDSv2: a session token from <c>PUT /latest/api/token</c>, reused until shortly before it expires and renewed when a request answers 401.</description></item>
/// <item><description>IMDSv1 fallback when the token request answers 403, 404 or 405 or times out (kube2iam/kiam, a hop limit of 1), unless it is
/// disabled. The fallback holds for a few minutes (the rest of a refresh), then IMDSv2 is tried again: never a permanent downgrade.
/// An IMDSv1 request answered 401 (the instance requires IMDSv2) ends the fallback at once.</description></item>
/// <item><description>Fail fast: until the service has answered once, each request gets the short first-contact timeout and no retry, and a failure
/// means "no instance metadata here" (<see cref="CredentialUnavailableException"/>). After that, normal timeouts and Polly retries, and a failure
/// is a recoverable <see cref="AwsCredentialException"/>.</description></item>
/// </list>
/// Each user creates its own client (<see cref="Create"/>) and disposes it: the credentials source owns one for its life, the region
/// lookup one per question. No client is shared through static state.
/// </summary>
internal sealed partial class ImdsClient : IDisposable
{
    public const string LoggerCategory = "WorkloadCredentials.InstanceMetadata";

    private static readonly ResiliencePropertyKey<string> PathKey = new("WorkloadCredentials.Imds.Path");

    private readonly HttpClient _http;
    private readonly TimeProvider _timeProvider;
    private readonly CredentialTelemetry _telemetry;
    // Built on first use: a chain that resolves before the instance profile (keys in the environment, a CLI's cold start) never pays
    // for Polly's options validation.
    private readonly Lazy<ResiliencePipeline<HttpResponseMessage>> _firstContactPipeline;
    private readonly Lazy<ResiliencePipeline<HttpResponseMessage>> _pipeline;
    private readonly Lazy<ResiliencePipeline<HttpResponseMessage>> _tokenPipeline;
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private readonly string _baseAddress;
    private readonly Func<double>? _random;
    private ImdsSessionToken? _token;
    private long _v1Until;
    private int _answered;

    public ImdsClient(
        ImdsSettings settings,
        HttpMessageHandler? handler,
        TimeProvider timeProvider,
        CredentialTelemetry telemetry,
        Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connectCallback = null,
        Func<double>? random = null)
    {
        _random = random;
        Settings = Throw.IfNull(settings);
        _timeProvider = Throw.IfNull(timeProvider);
        _telemetry = Throw.IfNull(telemetry);
        _http = HostHttp.CreateClient(handler, useProxy: false, connectCallback);
        _baseAddress = settings.Endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        EndpointDisplay = HostHttp.Display(settings.Endpoint).TrimEnd('/');

        // First contact: no answer at all is not retried (off EC2 the check must fail fast), but an answer, even a 5xx or 429,
        // shows a metadata service is there, so it is retried as later requests are (as the AWS SDKs retry the first token request).
        // Explicit attempts (AWS_METADATA_SERVICE_NUM_ATTEMPTS and the like) govern the first contact too.
        _firstContactPipeline = new(() => BuildPipeline(
            settings.FirstContactRetriesSilence ? RetryOn.TransientAnswersAndFailures : RetryOn.TransientAnswers, settings.FirstContactTimeout));
        _pipeline = new(() => BuildPipeline(RetryOn.TransientAnswersAndFailures, settings.Timeout));

        // A token request that times out is not retried: it falls back to IMDSv1 at once (a hop limit of 1 drops every answer to it).
        _tokenPipeline = new(() => BuildPipeline(RetryOn.TransientAnswersAndConnectionFailures, settings.Timeout));
    }

    /// <summary>Gets the resolved settings.</summary>
    public ImdsSettings Settings { get; }

    /// <summary>Gets the endpoint as shown in messages and logs.</summary>
    public string EndpointDisplay { get; }

    /// <summary>Gets a value indicating whether the service has answered at least once (any HTTP status).</summary>
    public bool HasAnswered => Volatile.Read(ref _answered) == 1;

    /// <summary>Creates a client of its own for <paramref name="context"/>.</summary>
    public static ImdsClient Create(CredentialSourceContext context, Func<string, string?>? profileSetting = null)
    {
        Throw.IfNull(context);
        return new ImdsClient(
            ImdsSettings.Resolve(context.Options.InstanceMetadata, context.Environment, profileSetting),
            context.HttpHandler,
            context.TimeProvider,
            context.CreateTelemetry(LoggerCategory),
            context.ConnectCallback,
            context.Random);
    }

    /// <summary>
    /// Gets the instance's region from <c>/latest/meta-data/placement/region</c>, or <see langword="null"/> when instance
    /// metadata is turned off, misconfigured, unreachable or has no answer. Never throws except for cancellation.
    /// </summary>
    public async ValueTask<string?> GetRegionAsync(CancellationToken cancellationToken = default)
    {
        if (Settings.DisabledReason is { } disabled)
        {
            _telemetry.ImdsRegionUnavailable("instance metadata is disabled: " + disabled);
            return null;
        }

        if (Settings.ConfigurationError is { } error)
        {
            _telemetry.ImdsRegionUnavailable(error);
            return null;
        }

        try
        {
            ImdsResponse response = await GetAsync(ImdsConstants.RegionPath, cancellationToken).ConfigureAwait(false);
            string region = response.Body.Trim();
            if (response.IsSuccess && region.Length is > 0 and <= 64 && region.All(static c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return region;
            }

            if (_telemetry.IsDebugEnabled)
            {
                string reason = $"{EndpointDisplay}{ImdsConstants.RegionPath} answered {HostHttp.DescribeStatus(response.Status)}";
                _telemetry.ImdsRegionUnavailable(reason);
            }

            return null;
        }
        catch (AwsCredentialException ex)
        {
            _telemetry.ImdsRegionUnavailable(ex.Message);
            return null;
        }
    }

    /// <summary>
    /// Sends <c>GET</c> <paramref name="path"/> (IMDSv2 with a session token, or IMDSv1 where the fallback applies) and returns any HTTP answer.
    /// </summary>
    /// <exception cref="CredentialUnavailableException">Instance metadata is turned off, or it has never answered and does not answer now.</exception>
    /// <exception cref="AwsCredentialException">The settings are invalid, the token request failed, or the service answered before but not now.</exception>
    public async ValueTask<ImdsResponse> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        string? token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        ImdsResponse response = await SendGetAsync(path, token, cancellationToken).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.Unauthorized)
        {
            // With a token: it was revoked or expired early. Without one (IMDSv1 after a fallback): the instance requires IMDSv2.
            // Either way, ask for a (new) token and try once more.
            _telemetry.ImdsTokenRejected(EndpointDisplay, path);
            if (token is not null)
            {
                InvalidateToken(token);
            }
            else
            {
                Volatile.Write(ref _v1Until, 0);
            }

            string? renewed = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
            if (renewed is not null || token is not null)
            {
                response = await SendGetAsync(path, renewed, cancellationToken).ConfigureAwait(false);
            }
        }

        return response;
    }

    public void Dispose()
    {
        _http.Dispose();
        _tokenLock.Dispose();
    }

    internal void ThrowIfUnusable()
    {
        if (Settings.DisabledReason is { } disabled)
        {
            throw new CredentialUnavailableException(
                $"{ImdsConstants.SourceName}: skipped because {disabled}.",
                ImdsConstants.SourceName);
        }

        if (Settings.ConfigurationError is { } error)
        {
            throw new AwsCredentialException(error, ImdsConstants.SourceName, isRecoverable: false);
        }
    }

    private enum RetryOn
    {
        TransientAnswers,
        TransientAnswersAndConnectionFailures,
        TransientAnswersAndFailures,
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(RetryOn retryOn, TimeSpan timeout)
    {
        ImdsSettings settings = Settings;
        var retry = new HostRetryStrategyOptions(ImdsConstants.RetryStrategyName, ImdsConstants.DefaultRetryDelay, ImdsConstants.RetryMaxDelay)
        {
            MaxRetryAttempts = Math.Max(1, settings.MaxRetryAttempts),
            OnRetry = args =>
            {
                if (_telemetry.IsDebugEnabled)
                {
                    string path = args.Context.Properties.GetValue(PathKey, "?");
                    string outcome = DescribeOutcome(args.Outcome);
                    _telemetry.ImdsRetrying(EndpointDisplay, path, outcome, args.AttemptNumber + 1);
                }

                return default;
            },
        };
        if (retryOn == RetryOn.TransientAnswersAndConnectionFailures)
        {
            retry.ShouldHandle = static args => args.Outcome.Exception is TimeoutRejectedException
                ? PredicateResult.False()
                : HostHttp.IsTransient(args.Outcome);
        }
        else if (retryOn == RetryOn.TransientAnswers)
        {
            retry.ShouldHandle = static args => args.Outcome.Result is { } response
                ? new ValueTask<bool>(HostHttp.IsTransient(response.StatusCode))
                : PredicateResult.False();
        }

        if (_random is not null)
        {
            retry.Randomizer = _random;
        }

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _timeProvider };
        if (settings.MaxRetryAttempts > 0)
        {
            builder.AddRetry(retry);
        }

        return builder.AddTimeout(timeout).Build();
    }

    private static string DescribeOutcome(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } ex ? ex.GetType().Name : HostHttp.DescribeStatus(outcome.Result!.StatusCode);

    private async ValueTask<ImdsResponse> SendGetAsync(string path, string? token, CancellationToken cancellationToken)
    {
        bool firstContact = !HasAnswered;
        try
        {
            using HttpResponseMessage response = await SendAsync(HttpMethod.Get, path, token, (firstContact ? _firstContactPipeline : _pipeline).Value, cancellationToken)
                .ConfigureAwait(false);
            (string? body, string? problem) = await HostHttp.ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            return new ImdsResponse(response.StatusCode, body ?? string.Empty) { Problem = problem };
        }
        catch (HostAnswerTooLargeException)
        {
            throw TooLarge(path);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
        {
            throw Unreachable(path, ex, firstContact, firstContact ? Settings.FirstContactTimeout : Settings.Timeout);
        }
    }
}
