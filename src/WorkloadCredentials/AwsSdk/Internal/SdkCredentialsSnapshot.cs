using Amazon.Runtime;

namespace WorkloadCredentials.AwsSdk.Internal;

/// <summary>
/// The AWS SDK's view of one <see cref="AwsCredentials"/> snapshot: its <see cref="ImmutableCredentials"/> and a completed task
/// holding them, built once per snapshot so that a cache hit allocates nothing.
/// </summary>
internal sealed class SdkCredentialsSnapshot
{
    public SdkCredentialsSnapshot(AwsCredentials credentials)
    {
        Credentials = credentials;
        Immutable = new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, credentials.AccountId);
        Task = System.Threading.Tasks.Task.FromResult(Immutable);
    }

    public AwsCredentials Credentials { get; }

    public ImmutableCredentials Immutable { get; }

    public Task<ImmutableCredentials> Task { get; }
}
