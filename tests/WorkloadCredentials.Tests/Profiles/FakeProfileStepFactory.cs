using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles.Internal;

namespace WorkloadCredentials.Tests.Profiles;

/// <summary>
/// Stands in for the real environment, IMDS, container, web identity and assume-role sources. Assume-role records the
/// credentials it was given and returns <c>ASIA&lt;role name&gt;</c> keys with the role's account id.
/// </summary>
internal sealed class FakeProfileStepFactory : IProfileStepFactory
{
    public List<string> Calls { get; } = [];

    public List<(AwsCredentials Caller, ProfileAssumeRoleRequest Request)> AssumeRoles { get; } = [];

    public List<ProfileWebIdentityRequest> WebIdentities { get; } = [];

    public List<SsoProfileRequest> SsoRequests { get; } = [];

    public Func<IAwsCredentialSource> Environment { get; set; } =
        () => new DelegateSource(_ => throw new CredentialUnavailableException("Environment: AWS_ACCESS_KEY_ID is not set.", "Environment"));

    public Func<IAwsCredentialSource> InstanceMetadata { get; set; } = () => Fixed("AKIDIMDS", "InstanceMetadata");

    public Func<IAwsCredentialSource> Container { get; set; } = () => Fixed("AKIDCONTAINER", "Container");

    public Func<ProfileAssumeRoleRequest, Exception?> AssumeRoleFailure { get; set; } = _ => null;

    public IAwsCredentialSource CreateCredentialSource(ProfileCredentialSourceKind kind)
    {
        (string call, Func<IAwsCredentialSource> create) = kind switch
        {
            ProfileCredentialSourceKind.Environment => ("Environment", Environment),
            ProfileCredentialSourceKind.Ec2InstanceMetadata => ("InstanceMetadata", InstanceMetadata),
            _ => ("Container", Container),
        };
        Calls.Add(call);
        return create();
    }

    public IAwsCredentialSource CreateWebIdentity(ProfileWebIdentityRequest request)
    {
        Calls.Add("WebIdentity " + request.RoleArn);
        WebIdentities.Add(request);
        return Fixed("ASIAWEB", "WebIdentity");
    }

    public IAwsCredentialSource CreateSso(SsoProfileRequest request)
    {
        Calls.Add("Sso " + request.AccountId + "/" + request.RoleName);
        SsoRequests.Add(request);
        return Fixed("ASIASSO", "Sso");
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
        });
    }

    public static IAwsCredentialSource Fixed(string accessKeyId, string sourceName) =>
        new DelegateSource(_ => ValueTask.FromResult(new AwsCredentials(accessKeyId, "secret-" + accessKeyId, "token-" + accessKeyId, null, sourceName)));

    internal sealed class DelegateSource(Func<CancellationToken, ValueTask<AwsCredentials>> fetch) : IAwsCredentialSource
    {
        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) => fetch(cancellationToken);
    }
}
