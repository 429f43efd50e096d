using Amazon.Runtime;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// The <see cref="AWSCredentials"/> the assume-role STS client signs with. The source sets the credentials it has just fetched before
/// each call, so a request is signed with exactly those (and an uncached source is not asked twice); before the first call it pulls
/// from the source. (The library's public SDK adapter lives in AwsSdk/; this one stays private to STS.)
/// </summary>
internal sealed class StsSigningCredentials(IAwsCredentialSource source) : AWSCredentials
{
    private ImmutableCredentials? _current;

    public void Set(AwsCredentials credentials) =>
        Volatile.Write(ref _current, new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));

    public override ImmutableCredentials GetCredentials() =>
        Volatile.Read(ref _current) ?? ToImmutable(source.GetCredentialsAsync().AsTask().GetAwaiter().GetResult());

    public override async Task<ImmutableCredentials> GetCredentialsAsync() =>
        Volatile.Read(ref _current) ?? ToImmutable(await source.GetCredentialsAsync().ConfigureAwait(false));

    private static ImmutableCredentials ToImmutable(AwsCredentials credentials) =>
        new(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);
}
