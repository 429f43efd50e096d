using System.Globalization;
using Amazon.Runtime;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Sso.Internal;

/// <summary>
/// One call to the portal or to SSO OIDC as a <see cref="ServiceCall"/>: its span and its count on the service-call counter. The
/// clients make one attempt (the cache retries later), so a call is one attempt; a failure is counted by its HTTP status, or by
/// the exception's type when there was no answer. Never a message or a code from the answer.
/// </summary>
internal static class SsoCalls
{
    public static async Task<TResponse> RunAsync<TResponse>(ServiceCall call, Func<CancellationToken, Task<TResponse>> send, CancellationToken cancellationToken)
    {
        using (call)
        {
            call.CountAttempt();
            try
            {
                TResponse response = await send(cancellationToken).ConfigureAwait(false);
                call.Succeeded();
                return response;
            }
            catch (AmazonServiceException ex) when ((int)ex.StatusCode >= 400)
            {
                int status = (int)ex.StatusCode;
                call.Failed(status.ToString(CultureInfo.InvariantCulture), status);
                throw;
            }
            catch (Exception ex)
            {
                call.Failed(CredentialTelemetry.ErrorType(ex));
                throw;
            }
        }
    }
}
