using Amazon.Runtime;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// The <see cref="AWSCredentials"/> the assume-role STS client signs with. The source sets the credentials it has just fetched before
/// each call, so a request is signed with exactly those (and an uncached source is not asked twice); before the first call it pulls
/// from the source.
/// </summary>
/// <remarks>
/// Why not the public <see cref="AwsSdk.WorkloadAwsCredentials"/>: that adapter always signs with what its source holds now (the
/// cache's current snapshot), which is right for application clients. <c>sts:AssumeRole</c> needs the opposite, a pin: the request
/// must be signed with the very credentials <see cref="AssumeRole.AssumeRoleCredentialSource"/> fetched, inspected (role chaining)
/// and will name in an error, and after STS rejects them and the cache is invalidated, with the fresh ones it fetched next, even
/// when a background refresh swaps the cache's snapshot in between. The STS client lives as long as the source, so the pin is
/// set per call rather than by building a client per call.
/// </remarks>
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
