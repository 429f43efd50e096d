using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Logging.Abstractions;
using WorkloadCredentials.Sts.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.Fuzzing.Invariants;

/// <summary>
/// Invariants of the STS answer handling: whatever STS (or a proxy in its place) answers, the call ends in credentials or in an
/// <see cref="AwsCredentialException"/> whose message and cleaned inner exceptions are printable and quote no secret the request carried.
/// </summary>
internal static class StsAnswerInvariants
{
    public const string WebIdentityToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZnV6eiJ9.c2lnbmF0dXJlLWZ1enotc2VjcmV0";
    public const string RoleArn = "arn:aws:iam::123456789012:role/fuzz";

    /// <summary>The HTTP statuses a fuzz input picks from with its first byte.</summary>
    public static readonly int[] Statuses = [200, 400, 403, 404, 429, 500, 503, 302];

    private static readonly AnswerHandler Handler = new();
    private static readonly StsClientSettings Settings = new() { MaxRetryAttempts = 0, AttemptTimeout = TimeSpan.FromSeconds(10), TotalTimeout = TimeSpan.FromSeconds(20) };
    private static readonly StsEndpoint Endpoint = new(new Uri("https://sts.eu-west-1.amazonaws.com"), "eu-west-1", "fuzz");
    private static readonly Lazy<StsClient> Client = new(() =>
        new StsClient(Endpoint, Settings, new AnonymousAWSCredentials(), Handler, TimeProvider.System, CredentialTelemetry.Null, "fuzz"));

    public static void Answer(int status, byte[] body) => AnswerAsync(status, body).AsTask().GetAwaiter().GetResult();

    public static async ValueTask AnswerAsync(int status, byte[] body)
    {
        Handler.Next = (status, body);
        var request = new AssumeRoleWithWebIdentityRequest { RoleArn = RoleArn, RoleSessionName = "fuzz", WebIdentityToken = WebIdentityToken };
        string?[] secrets = [WebIdentityToken];
        StsResult<AssumeRoleWithWebIdentityResponse> result = await Client.Value.AssumeRoleWithWebIdentityAsync(request, secrets, CancellationToken.None).ConfigureAwait(false);
        if (result.Failure is null)
        {
            Invariant.That(result.Response is not null, "a call that did not fail has a response");
            AwsCredentials? credentials = StsCredentialsMapper.Map(result.Response!.Credentials, result.Response.AssumedRoleUser, RoleArn, "fuzz", out string? problem);
            // No credentials and no problem: the answer lacks credentials (the caller reports it as incomplete).
            Invariant.That(credentials is null || problem is null, "credentials come without a problem");
            Invariant.IsPrintable(problem, "the mapping problem");
            Invariant.DoesNotLeak(problem, WebIdentityToken, "the mapping problem");
            return;
        }

        var context = new StsCallContext { SourceName = "fuzz", Operation = "AssumeRoleWithWebIdentity", RoleArn = RoleArn, Settings = Settings, TokenFile = "/var/run/fuzz/token" };
        AwsCredentialException error = StsFailureMessages.ToException(result.Failure, context, secrets);
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            Invariant.That(e is AwsCredentialException or StsCallFailureException, $"only cleaned exceptions are attached (found {e.GetType().Name})");
            Invariant.IsPrintable(e.Message, "the STS failure message");
            Invariant.DoesNotLeak(e.Message, WebIdentityToken, "the STS failure message");
        }
    }

    /// <summary>Answers every request with the status and body set last (one fuzz input at a time).</summary>
    private sealed class AnswerHandler : HttpMessageHandler
    {
        public (int Status, byte[] Body) Next { get; set; } = (200, []);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            (int status, byte[] body) = Next;
            var response = new HttpResponseMessage((HttpStatusCode)status)
            {
                RequestMessage = request,
                Content = new ByteArrayContent(body),
            };
            response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/xml") { CharSet = Encoding.UTF8.WebName };
            if (status is >= 300 and < 400)
            {
                response.Headers.Location = new Uri("https://elsewhere.example/");
            }

            return Task.FromResult(response);
        }
    }
}
