using System.Globalization;
using Polly;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.InstanceMetadata.Internal;

/// <summary>One request through a retry pipeline: one service call (span and count) however many attempts it takes.</summary>
internal sealed partial class ImdsClient
{
    private async ValueTask<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? token, ResiliencePipeline<HttpResponseMessage> pipeline, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PathKey, path);
        using ServiceCall call = _telemetry.StartCall(
            TelemetryTags.Imds, method == HttpMethod.Put ? "GetToken" : "GetMetadata", Settings.Endpoint.Host, ImdsConstants.SourceName);
        try
        {
            HttpResponseMessage response = await pipeline.ExecuteAsync(
                static (ctx, state) =>
                {
                    state.Call.CountAttempt();
                    return state.Client.SendOnceAsync(state.Method, state.Path, state.Token, ctx.CancellationToken);
                },
                context,
                (Client: this, Method: method, Path: path, Token: token, Call: call)).ConfigureAwait(false);
            call.Answered((int)response.StatusCode);
            return response;
        }
        catch (Exception ex)
        {
            call.Failed(CredentialTelemetry.ErrorType(ex));
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<HttpResponseMessage> SendOnceAsync(HttpMethod method, string path, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseAddress + path, UriKind.Absolute));
        if (method == HttpMethod.Put)
        {
            request.Headers.TryAddWithoutValidation(ImdsConstants.TokenTtlHeader, ((int)Settings.TokenTtl.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }
        else if (token is not null)
        {
            request.Headers.TryAddWithoutValidation(ImdsConstants.TokenHeader, token);
        }

        try
        {
            HttpResponseMessage response = await HostHttp.SendBufferedAsync(_http, request, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _answered, 1);
            return response;
        }
        catch (HostAnswerTooLargeException)
        {
            // It answered (too much): a metadata service is there.
            Volatile.Write(ref _answered, 1);
            throw;
        }
    }
}
