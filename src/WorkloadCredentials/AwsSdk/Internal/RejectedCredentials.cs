using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace WorkloadCredentials.AwsSdk.Internal;

/// <summary>
/// Recognises a service's rejection of the credentials a request was signed with, and tells the cache behind the
/// <see cref="WorkloadAwsCredentials"/> that signed it, so that the SDK's retry signs with fresh credentials.
/// </summary>
internal static class RejectedCredentials
{
    private static readonly HashSet<string> Codes = new(StringComparer.Ordinal)
    {
        "ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId",
    };

    /// <summary>
    /// Returns <see langword="true"/> when <paramref name="error"/> rejects credentials of ours and a retry can sign with other ones
    /// (the cache was invalidated, or already holds newer credentials), and the SDK has a retry left.
    /// </summary>
    public static bool TryInvalidate(IRequestContext context, AmazonServiceException error)
    {
        if (error.ErrorCode is not { } code || !Codes.Contains(code) || context.Identity is not WorkloadAwsCredentials credentials)
        {
            return false;
        }

        if (context.Retries >= context.ClientConfig.MaxErrorRetry || AccessKeyIdOf(context.Request) is not { } accessKeyId)
        {
            return false;
        }

        return credentials.TryInvalidateRejected(accessKeyId);
    }

    /// <summary>The access key id in a SigV4 <c>Authorization</c> header (<c>Credential=AKID/date/region/service/aws4_request</c>).</summary>
    internal static string? AccessKeyIdOf(string? authorization)
    {
        const string Marker = "Credential=";
        int start = authorization?.IndexOf(Marker, StringComparison.Ordinal) ?? -1;
        if (start < 0)
        {
            return null;
        }

        start += Marker.Length;
        int end = authorization!.IndexOf('/', start);
        return end > start ? authorization[start..end] : null;
    }

    /// <summary>The access key id a request was signed with: from its SigV4 <c>Authorization</c> header or <c>X-Amz-Credential</c> parameter.</summary>
    internal static string? AccessKeyIdOf(IRequest? request)
    {
        if (request is null)
        {
            return null;
        }

        if (request.Headers.TryGetValue("Authorization", out string? authorization) && AccessKeyIdOf(authorization) is { } fromHeader)
        {
            return fromHeader;
        }

        if (request.Parameters.TryGetValue("X-Amz-Credential", out string? credential) && credential.IndexOf('/', StringComparison.Ordinal) is > 0 and int slash)
        {
            return credential[..slash];
        }

        return null;
    }
}
