using System.Net;
using WorkloadCredentials.InstanceMetadata.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.InstanceMetadata;

/// <summary>Turning what IMDS answered into credentials, and the errors that name the path.</summary>
internal sealed partial class ImdsCredentialSource
{
    private AwsCredentials ToCredentials(ImdsResponse response, string path)
    {
        if (response.Problem is { } bodyProblem)
        {
            throw Malformed(path, bodyProblem);
        }

        if (!JsonCredentialsDocument.TryParse(response.Body, out JsonCredentialsDocument? document, out string? problem))
        {
            throw Malformed(path, problem!);
        }

        if (document!.Code is { } code && !string.Equals(code, "Success", StringComparison.OrdinalIgnoreCase))
        {
            bool trust = string.Equals(code, "AssumeRoleUnauthorizedAccess", StringComparison.Ordinal);
            string hint = trust
                ? "The instance profile's role must trust ec2.amazonaws.com: check its trust policy."
                : "This is usually transient; cached credentials stay in use.";
            throw new AwsCredentialException(
                $"{Name}: the instance metadata service at {_client.EndpointDisplay} answered {path} with code {_client.Clean(code)}: {_client.Clean(document.Message ?? "no message")}. {hint} {ImdsConstants.Troubleshooting}",
                Name,
                isRecoverable: !trust);
        }

        if (!document.TryGetCredentials(Name, expirationRequired: true, out AwsCredentials? credentials, out problem))
        {
            throw Malformed(path, problem!);
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (credentials!.Expiration is { } expiration && expiration <= now)
        {
            // Static stability (AWS SDKs' refresh spec): IMDS itself may be serving stale credentials while it recovers.
            TimeSpan extension = ImdsConstants.ExpiredCredentialsExtension + (ImdsConstants.ExpiredCredentialsExtension * Math.Clamp(_random(), 0, 1));
            _telemetry.ImdsExpiredCredentialsExtended(_client.EndpointDisplay, credentials.AccessKeyId, expiration, (int)extension.TotalMinutes);
            credentials = new AwsCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, now + extension, Name)
            {
                AccountId = credentials.AccountId,
                RoleArn = credentials.RoleArn,
            };
        }

        return credentials;
    }

    private AwsCredentialException Malformed(string path, string problem) =>
        new($"{Name}: the instance metadata service at {_client.EndpointDisplay} answered {path} with an unusable credentials document: {problem}. This is usually transient; cached credentials stay in use. If it persists, check any proxy in front of IMDS. {ImdsConstants.Troubleshooting}", Name, isRecoverable: true);

    private AwsCredentialException Failed(string path, HttpStatusCode status) => HostHttp.IsRedirect(status)
        ? _client.Redirected(path, status)
        : new($"{Name}: the instance metadata service at {_client.EndpointDisplay} answered {HostHttp.DescribeStatus(status)} to {path}. This is usually transient; cached credentials stay in use. If it persists, check the instance's metadata options and any proxy in front of it (kube2iam, kiam). {ImdsConstants.Troubleshooting}", Name, isRecoverable: true);
}
