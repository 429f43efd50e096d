namespace WorkloadCredentials.Profiles.Internal;

/// <summary>Hands one set of credentials to the next step of a chain (the credentials a previous step just fetched).</summary>
internal sealed class FixedCredentialSource : IAwsCredentialSource
{
    private readonly AwsCredentials _credentials;

    public FixedCredentialSource(AwsCredentials credentials)
    {
        _credentials = credentials;
    }

    public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<AwsCredentials>(_credentials);
    }
}
