using System.Net;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.InstanceMetadata.Internal;

/// <summary>The errors of the IMDS client (no answer, a redirect, an answer too large) and the masking of its session token.</summary>
internal sealed partial class ImdsClient
{
    /// <summary>
    /// Returns <paramref name="text"/> (from the service: a <c>Code</c> or <c>Message</c>) with the current session token and any
    /// long fragment of it masked, so a service that echoes the token header cannot make a message carry it, control and format
    /// characters escaped, and cut to 200 characters.
    /// </summary>
    public string Clean(string text) => SecretMasker.MaskAndEscape(text, 200, Volatile.Read(ref _token)?.Value);

    /// <summary>
    /// A redirect (3xx) to <paramref name="path"/>: never followed, so neither the session token nor the credentials reach another
    /// address; not retried, not recoverable (the endpoint setting or a proxy is wrong).
    /// </summary>
    public AwsCredentialException Redirected(string path, HttpStatusCode status) =>
        new(
            $"{ImdsConstants.SourceName}: the instance metadata service at {EndpointDisplay} answered {HostHttp.DescribeStatus(status)} to {path}, a redirect; redirects are never followed, so the session token and the credentials never leave for another address. Point {ImdsConstants.EndpointVariable} (or ImdsCredentialOptions.Endpoint) at the metadata service itself, or fix the proxy in front of it. {ImdsConstants.Troubleshooting}",
            ImdsConstants.SourceName,
            isRecoverable: false);

    /// <summary>An answer larger than <see cref="HostHttp.MaxResponseBytes"/>: malformed, not transient (a retry gets the same).</summary>
    private AwsCredentialException TooLarge(string path) =>
        new(
            $"{ImdsConstants.SourceName}: the instance metadata service at {EndpointDisplay} answered {path} with an unusable answer: {HostHttp.TooLargeProblem}. Cached credentials stay in use; if it persists, check any proxy in front of IMDS and {ImdsConstants.EndpointVariable}. {ImdsConstants.Troubleshooting}",
            ImdsConstants.SourceName,
            isRecoverable: true);

    private AwsCredentialException Unreachable(string path, Exception exception, bool firstContact, TimeSpan timeout)
    {
        string reason = HostHttp.DescribeFailure(exception, timeout);
        if (firstContact)
        {
            return new CredentialUnavailableException(
                $"{ImdsConstants.SourceName}: no instance metadata service answered at {EndpointDisplay} ({reason}). Off EC2 this is expected: set {ImdsConstants.DisabledVariable}=true to skip the check. On EC2, check that instance metadata is enabled, that {ImdsConstants.EndpointVariable} (or ImdsCredentialOptions.Endpoint) is right, and in containers the IMDSv2 hop limit. {ImdsConstants.Troubleshooting}",
                ImdsConstants.SourceName,
                exception);
        }

        return new AwsCredentialException(
            $"{ImdsConstants.SourceName}: the instance metadata service at {EndpointDisplay} did not answer {path} ({reason}, {Settings.MaxRetryAttempts + 1} attempts). It answered before, so this is likely transient and cached credentials stay in use; if it persists, check the instance's metadata options and any proxy in front of it (kube2iam, kiam). {ImdsConstants.Troubleshooting}",
            ImdsConstants.SourceName,
            isRecoverable: true,
            exception);
    }
}
