using Amazon.Runtime;

namespace BackupUploader.Credentials;

/// <summary>Credentials for the AWS SDK clients, and a way to describe them for the summary.</summary>
internal sealed class UploaderCredentials(AWSCredentials sdkCredentials, Func<CancellationToken, ValueTask<CredentialDescription>> describe, IDisposable? owned = null) : IDisposable
{
    /// <summary>Gets the credentials AWS SDK clients sign with.</summary>
    public AWSCredentials SdkCredentials { get; } = sdkCredentials;

    /// <summary>Describes the credentials in use now (source, role, expiry; no secret).</summary>
    public ValueTask<CredentialDescription> DescribeAsync(CancellationToken cancellationToken) => describe(cancellationToken);

    /// <summary>Stops the credential cache's background refresh.</summary>
    public void Dispose() => owned?.Dispose();
}
