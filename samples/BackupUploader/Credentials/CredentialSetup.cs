// The uploader's credentials, built in one line without DI on the WorkloadCredentials library:
// the default chain (explicit options, environment keys, shared profile, web identity, container, instance metadata),
// with an optional role assumed on top (External ID), cached and refreshed in the background.
using Microsoft.Extensions.Options;
using WorkloadCredentials;
using WorkloadCredentials.AwsSdk;
using WorkloadCredentials.Diagnostics;

namespace BackupUploader.Credentials;

/// <summary>The one place the uploader gets its credentials.</summary>
internal static class CredentialSetup
{
    private const string NoCredentialsFix =
        "Run where a role is attached (EKS IRSA or Pod Identity, an ECS task role, an EC2 instance profile), or set AWS_PROFILE, " +
        "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; `workload-credentials describe` shows what each source found " +
        "(see docs/TROUBLESHOOTING.md).";

    /// <summary>Resolves credentials once (so a credential problem shows before any byte is read) and returns them for the SDK.</summary>
    /// <exception cref="UploaderException">No credentials can be had; the message names the cause and the fix.</exception>
    public static async Task<UploaderCredentials> CreateAsync(CredentialRequest request, CancellationToken cancellationToken)
    {
        // 1. Build the default chain; options left unset fall back to the environment (AWS_ROLE_ARN, AWS_PROFILE, ...).
        ICachedAwsCredentialSource source;
        try
        {
            source = AwsCredentialSources.CreateDefault(options => Configure(options, request));
        }
        catch (OptionsValidationException ex)
        {
            throw new UploaderException($"The credential options are invalid: {string.Join(" ", ex.Failures)} Fix --role-arn, --external-id or --role-session-name.", ExitCodes.BadInput, ex);
        }

        // 2. Resolve once now, so a credential problem is reported before any byte is read.
        try
        {
            _ = await source.GetCredentialsAsync(cancellationToken);
        }
        catch (CredentialUnavailableException ex)
        {
            (source as IDisposable)?.Dispose();
            throw new UploaderException($"No AWS credentials could be resolved. {NoCredentialsFix}{Environment.NewLine}{ex.Message}", ExitCodes.Credentials, ex);
        }
        catch (AwsCredentialException ex)
        {
            // The library's message names the source, the setting and the fix (and never a secret).
            (source as IDisposable)?.Dispose();
            throw new UploaderException($"{ex.Message} The upload did not start.", ExitCodes.Credentials, ex);
        }

        // 3. Hand the cached source to every AWS SDK client through the adapter; disposing stops the background refresh.
        return new UploaderCredentials(
            new WorkloadAwsCredentials(source),
            async token => Describe(await source.DescribeAsync(token)),
            source as IDisposable);
    }

    private static void Configure(WorkloadCredentialsOptions options, CredentialRequest request)
    {
        options.Region = request.Region;
        if (request.WebIdentityRoleArn is not null)
        {
            options.WebIdentity.RoleArn = request.WebIdentityRoleArn;
            options.WebIdentity.WebIdentityTokenFile = request.WebIdentityTokenFile;
            options.WebIdentity.RoleSessionName = request.RoleSessionName;
        }

        if (request.RoleArn is not null)
        {
            options.AssumeRole.RoleArn = request.RoleArn;
            options.AssumeRole.ExternalId = request.ExternalId;
            options.AssumeRole.RoleSessionName = request.RoleSessionName;
        }
    }

    /// <summary>The summary's view of the library's public description (the access key id comes redacted; no secret is ever in it).</summary>
    private static CredentialDescription Describe(CredentialSourceDescription description) =>
        description.Status == CredentialResolutionStatus.Resolved
            ? new(description.SourceName!, description.RoleArn, description.Expiration, description.RedactedAccessKeyId!, "WorkloadCredentials default chain")
            : throw new UploaderException($"{description.ErrorMessage} The credentials stopped resolving during the backup.", ExitCodes.Credentials);
}
