using System.Net.Sockets;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Transform;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.Diagnostics.Internal;

/// <summary>
/// <c>sts:GetCallerIdentity</c> signed with a source's credentials, through the library's STS HTTP clients: no redirect is ever followed
/// and the answer is capped at 64 KiB. Every failure after the credentials resolved is a <see cref="CallerIdentityException"/> whose
/// message names the endpoint and the fix, with the credentials (and any 12-character fragment of them) masked.
/// </summary>
internal static class CallerIdentityClient
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    public static async ValueTask<CallerIdentity> GetAsync(IAwsCredentialSource source, CancellationToken cancellationToken)
    {
        AwsCredentials credentials = await source.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
        StsTarget target = await StsTargetResolver.ResolveAsync(SourceContexts.Find(source), cancellationToken).ConfigureAwait(false);
        string?[] secrets = [credentials.SecretAccessKey, credentials.SessionToken];
        GetCallerIdentityResponse identity;
        try
        {
            identity = await CallAsync(credentials, target, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DescribeBadAnswer(ex) is { } problem)
        {
            throw new CallerIdentityException($"sts:GetCallerIdentity at {target.DescribeEndpoint()} {problem}");
        }
        catch (AmazonServiceException ex) when (!string.IsNullOrEmpty(ex.ErrorCode))
        {
            throw new CallerIdentityException(
                $"sts:GetCallerIdentity at {target.DescribeEndpoint()} was refused with {Clean(ex.ErrorCode, secrets)} (HTTP {(int)ex.StatusCode}): {Clean(ex.Message, secrets)} " +
                $"The credentials came from source {credentials.SourceName} (access key {credentials.RedactedAccessKeyId}).");
        }
        catch (Exception ex) when (IsTransport(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw new CallerIdentityException(
                $"could not reach STS at {target.DescribeEndpoint()}: {ex.GetType().Name}: {Clean(Innermost(ex).Message, secrets)} " +
                "Check the endpoint and region settings and the network.");
        }

        if (string.IsNullOrEmpty(identity.Account) || string.IsNullOrEmpty(identity.Arn) || string.IsNullOrEmpty(identity.UserId))
        {
            throw new CallerIdentityException($"sts:GetCallerIdentity at {target.DescribeEndpoint()} {NotAnStsAnswer("it holds no caller identity (Account, Arn and UserId)")}");
        }

        // What STS answered is not a secret, but it is text from a server: masked (an echo of the credentials) and escaped.
        return new CallerIdentity(Clean(identity.Account, secrets), Clean(identity.Arn, secrets), Clean(identity.UserId, secrets));
    }

    private static async Task<GetCallerIdentityResponse> CallAsync(AwsCredentials credentials, StsTarget target, CancellationToken cancellationToken)
    {
        AWSCredentials sdkCredentials = credentials.SessionToken is { } token
            ? new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, token)
            : new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey);

        // The endpoint was resolved with the library's precedence; the SDK must not look for another one.
        using var httpClients = new StsHttpClientFactory(null);
        var config = new AmazonSecurityTokenServiceConfig
        {
            IgnoreConfiguredEndpointUrls = true,
            MaxErrorRetry = 2,
            Timeout = CallTimeout,
            AllowAutoRedirect = false,
            HttpClientFactory = httpClients,
        };
        if (target.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = target.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(target.Region);
        }

        using var client = new AmazonSecurityTokenServiceClient(sdkCredentials, config);
        return await client.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Describes an answer that is a redirect or not an STS answer at all, or returns <see langword="null"/>.</summary>
    private static string? DescribeBadAnswer(Exception ex)
    {
        if (StsErrorClassifier.Find<StsRedirectException>(ex) is { } redirect)
        {
            return $"answered HTTP {redirect.StatusCode} with a redirect to host {redirect.TargetHost}; redirects are never followed, because the request carries the credentials. " +
                "Set AWS_ENDPOINT_URL_STS (or the profile's endpoint_url) to the real STS endpoint.";
        }

        string? detail = StsErrorClassifier.MalformedDetail(ex)
            ?? (StsErrorClassifier.Find<AmazonUnmarshallingException>(ex) is not null ? "it cannot be read as a GetCallerIdentity answer" : null);
        return detail is null ? null : NotAnStsAnswer(detail);
    }

    private static string NotAnStsAnswer(string detail) =>
        $"answered with something that is not an STS response: {detail}. Check that the endpoint is an STS endpoint and that no proxy rewrites its answers.";

    /// <summary>One line, with the credentials (and any 12-character fragment of them) masked and control characters escaped.</summary>
    private static string Clean(string message, string?[] secrets) => StsCallFailureException.Clean(OneLine(message), secrets);

    private static bool IsTransport(Exception ex) =>
        ex is AmazonClientException or HttpRequestException or SocketException or IOException or TaskCanceledException or TimeoutException;

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is { } inner)
        {
            ex = inner;
        }

        return ex;
    }

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
