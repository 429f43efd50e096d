using WorkloadCredentials;
using WorkloadCredentials.Diagnostics;

namespace WebApi;

/// <summary>
/// GET /credentials: the active source, role, account and expiry, the access key id redacted, and why each other source of the chain
/// was skipped; never the secret or the token. All of it from the library's public describe API.
/// </summary>
internal static class CredentialsEndpoint
{
    public static async Task<IResult> GetAsync(IAwsCredentialSource source, TimeProvider time, CancellationToken cancellationToken)
    {
        CredentialSourceDescription description = await source.DescribeAsync(cancellationToken);
        SourceView[] sources = description.Sources.Select(s => new SourceView(s.Name, s.Status.ToString(), s.Reason)).ToArray();
        if (description.Status != CredentialResolutionStatus.Resolved)
        {
            // The library's messages name the source, the setting and the fix, and never carry a secret.
            return Results.Json(new CredentialsError(description.ErrorSourceName, description.ErrorMessage ?? "No AWS credentials.", sources), statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return Results.Ok(new CredentialsView(
            description.SourceName!,
            description.RoleArn,
            description.AccountId,
            description.RedactedAccessKeyId!,
            description.Expiration,
            description.Expiration is { } expiration ? (long)(expiration - time.GetUtcNow()).TotalSeconds : null,
            sources));
    }

    internal sealed record CredentialsView(string Source, string? RoleArn, string? AccountId, string AccessKeyId, DateTimeOffset? Expiration, long? ExpiresInSeconds, IReadOnlyList<SourceView> Sources);

    internal sealed record CredentialsError(string? Source, string Error, IReadOnlyList<SourceView> Sources);

    internal sealed record SourceView(string Name, string Status, string? Reason);
}
