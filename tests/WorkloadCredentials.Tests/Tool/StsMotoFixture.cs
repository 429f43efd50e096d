using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Tool;

/// <summary>
/// One moto_server without signature checks (AssumeRoleWithWebIdentity is unsigned, and moto answers unsigned calls with HTTP 500 once
/// auth is on) holding an IAM user whose keys feed a profile chain, and a role that anyone may assume.
/// </summary>
public sealed class StsMotoFixture : IAsyncLifetime
{
    private MotoServer? _moto;

    public MotoServer Moto => _moto ?? throw new InvalidOperationException("moto is not started.");

    public string AccessKeyId { get; private set; } = string.Empty;

    public string SecretAccessKey { get; private set; } = string.Empty;

    public string RoleArn { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        _moto = await MotoServer.StartAsync();
        var iam = new MotoIam(_moto);
        (AccessKeyId, SecretAccessKey, _) = await iam.CreateUserWithKeyAsync("cli-base", MotoIam.AllowAllPolicy);
        RoleArn = await iam.CreateRoleAsync("cli-dev", MotoIam.TrustEveryonePolicy, MotoIam.AllowAllPolicy);
    }

    public async ValueTask DisposeAsync()
    {
        if (_moto is not null)
        {
            await _moto.DisposeAsync();
        }
    }
}
