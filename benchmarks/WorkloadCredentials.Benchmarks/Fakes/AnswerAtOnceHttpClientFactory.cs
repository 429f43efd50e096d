using System.Net;
using Amazon.Runtime;

namespace WorkloadCredentials.Benchmarks.Fakes;

/// <summary>An HTTP client factory for AWS SDK clients whose handler reads the whole request body and answers 200 at once, as S3 answers UploadPart.</summary>
internal sealed class AnswerAtOnceHttpClientFactory : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new AnswerAtOnceHandler());

    private sealed class AnswerAtOnceHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                await request.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            }

            var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new ByteArrayContent([]) };
            response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"9b2cf535f27731c974343645a3985328\"");
            response.Headers.Add("x-amz-request-id", "BENCH");
            return response;
        }
    }
}
