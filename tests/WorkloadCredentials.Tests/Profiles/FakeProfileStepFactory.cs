using WorkloadCredentials.Profiles.Internal;

namespace WorkloadCredentials.Tests.Profiles;

/// <summary>
/// Stands in for the real environment, IMDS, container, web identity and assume-role sources. Assume-role records the
/// credentials it was given and returns <c>ASIA&lt;role name&gt;</c> keys with the role's account id.
/// </summary>
internal sealed class FakeProfileStepFactory : IProfileStepFactory
{
    private int _disposedStepSources;

    public List<string> Calls { get; } = [];

    public List<(AwsCredentials Caller, ProfileAssumeRoleRequest Request)> AssumeRoles { get; } = [];

    public List<ProfileWebIdentityRequest> WebIdentities { get; } = [];

    /// <summary>Gets how many web identity and assume-role sources (built for one call each) were disposed.</summary>
    public int DisposedStepSources => Volatile.Read(ref _disposedStepSources);

    public Func<IAwsCredentialSource> Environment { get; set; } =
        () => new DelegateSource(_ => throw new CredentialUnavailableException("Environment: AWS_ACCESS_KEY_ID is not set.", "Environment"));

    public Func<IAwsCredentialSource> InstanceMetadata { get; set; } = () => Fixed("AKIDIMDS", "InstanceMetadata");

    public Func<IAwsCredentialSource> Container { get; set; } = () => Fixed("AKIDCONTAINER", "Container");

    public Func<ProfileAssumeRoleRequest, Exception?> AssumeRoleFailure { get; set; } = _ => null;

    public IAwsCredentialSource CreateEnvironment()
    {
        Calls.Add("Environment");
        return Environment();
    }

    public IAwsCredentialSource CreateInstanceMetadata()
    {
        Calls.Add("InstanceMetadata");
        return InstanceMetadata();
    }

    public IAwsCredentialSource CreateContainer()
    {
        Calls.Add("Container");
        return Container();
    }

    public IAwsCredentialSource CreateWebIdentity(ProfileWebIdentityRequest request)
    {
        Calls.Add("WebIdentity " + request.RoleArn);
        WebIdentities.Add(request);
        return new DelegateSource(_ => ValueTask.FromResult(new AwsCredentials("ASIAWEB", "secret-ASIAWEB", "token-ASIAWEB", null, "WebIdentity")), CountDisposed);
    }

    public IAwsCredentialSource CreateAssumeRole(IAwsCredentialSource source, ProfileAssumeRoleRequest request)
    {
        Calls.Add("AssumeRole " + request.RoleArn);
        return new DelegateSource(async cancellationToken =>
        {
            AwsCredentials caller = await source.GetCredentialsAsync(cancellationToken);
            AssumeRoles.Add((caller, request));
            if (AssumeRoleFailure(request) is { } failure)
            {
                throw failure;
            }

            string role = request.RoleArn[(request.RoleArn.LastIndexOf('/') + 1)..];
            return new AwsCredentials("ASIA" + role.ToUpperInvariant(), "secret-of-" + role, "token-of-" + role, DateTimeOffset.UnixEpoch.AddDays(20000), "AssumeRole")
            {
                AccountId = request.RoleArn.Split(':')[4],
                RoleArn = request.RoleArn,
            };
        },
        CountDisposed);
    }

    public static IAwsCredentialSource Fixed(string accessKeyId, string sourceName) =>
        new DelegateSource(_ => ValueTask.FromResult(new AwsCredentials(accessKeyId, "secret-" + accessKeyId, "token-" + accessKeyId, null, sourceName)));

    private void CountDisposed() => Interlocked.Increment(ref _disposedStepSources);

    internal sealed class DelegateSource(Func<CancellationToken, ValueTask<AwsCredentials>> fetch, Action? onDispose = null) : IAwsCredentialSource, IDisposable
    {
        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) => fetch(cancellationToken);

        public void Dispose() => onDispose?.Invoke();
    }
}
