using WorkloadCredentials;
using WorkloadCredentials.Diagnostics;

namespace WebApi;

/// <summary>
/// GET /whoami: the account, ARN and user id STS sees for this workload's credentials (sts:GetCallerIdentity, through the library's
/// public API, with the STS endpoint and region the library resolves for the registered source). Never a secret.
/// </summary>
internal static class WhoamiEndpoint
{
    public static async Task<IResult> GetAsync(IAwsCredentialSource source, CancellationToken cancellationToken)
    {
        try
        {
            CallerIdentity identity = await source.GetCallerIdentityAsync(cancellationToken);
            return Results.Ok(new IdentityView(identity.Account, identity.Arn, identity.UserId));
        }
        catch (CallerIdentityException ex)
        {
            // Credentials resolved, but STS refused them or could not be reached: the message names the endpoint and the fix.
            return Results.Json(new ErrorView(ex.Message), statusCode: StatusCodes.Status502BadGateway);
        }
        catch (AwsCredentialException ex)
        {
            return Results.Json(new ErrorView(ex.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    internal sealed record IdentityView(string Account, string Arn, string UserId);

    internal sealed record ErrorView(string Error);
}
