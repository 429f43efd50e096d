using WorkloadCredentials;

namespace WebApi;

/// <summary>GET /credentials: the active source, role, account and expiry; the access key id redacted; never the secret or the token.</summary>
internal static class CredentialsEndpoint
{
    public static async Task<IResult> GetAsync(IAwsCredentialSource source, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            AwsCredentials credentials = await source.GetCredentialsAsync(cancellationToken);
            return Results.Ok(new CredentialsView(
                credentials.SourceName,
                credentials.RoleArn,
                credentials.AccountId,
                Redact(credentials.AccessKeyId),
                credentials.Expiration,
                credentials.Expiration is { } expiration ? (long)(expiration - time.GetUtcNow()).TotalSeconds : null));
        }
        catch (AwsCredentialException ex)
        {
            // The library's messages name the source, the setting and the fix, and never carry a secret.
            return Results.Json(new CredentialsError(ex.SourceName, ex.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static string Redact(string accessKeyId) => accessKeyId.Length <= 8 ? accessKeyId[..Math.Min(4, accessKeyId.Length)] + "***" : accessKeyId[..8] + "***";

    internal sealed record CredentialsView(string Source, string? RoleArn, string? AccountId, string AccessKeyId, DateTimeOffset? Expiration, long? ExpiresInSeconds);

    internal sealed record CredentialsError(string? Source, string Error);
}
