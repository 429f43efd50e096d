using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Tool;

/// <summary>
/// One moto_server for a test class, with SigV4 verification on after the three free IAM actions that create the user: every STS call the
/// tool or the AWS CLI makes is checked against the user's real secret.
/// </summary>
public sealed class SignedMotoFixture : IAsyncLifetime
{
    private const int FreeActions = 3; // CreateUser, PutUserPolicy, CreateAccessKey

    private MotoServer? _moto;

    public MotoServer Moto => _moto ?? throw new InvalidOperationException("moto is not started.");

    public string AccessKeyId { get; private set; } = string.Empty;

    public string SecretAccessKey { get; private set; } = string.Empty;

    public string UserArn { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        _moto = await MotoServer.StartAsync(initialNoAuthActionCount: FreeActions);
        (AccessKeyId, SecretAccessKey, UserArn) = await new MotoIam(_moto).CreateUserWithKeyAsync("cli-user", MotoIam.AllowAllPolicy);
    }

    public async ValueTask DisposeAsync()
    {
        if (_moto is not null)
        {
            await _moto.DisposeAsync();
        }
    }
}
