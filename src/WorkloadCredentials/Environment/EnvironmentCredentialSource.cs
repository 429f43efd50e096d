using WorkloadCredentials.Internal;

// The folder is Environment/, but the namespace is not WorkloadCredentials.Environment: such a namespace would shadow
// System.Environment in every file under WorkloadCredentials.*.
namespace WorkloadCredentials.EnvironmentKeys;

/// <summary>
/// Keys from the environment variables <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c> and
/// <c>AWS_ACCOUNT_ID</c>. Blank values count as unset; a key id without a secret (or the reverse) is an error that names the
/// missing variable, never a fall-through to another identity.
/// </summary>
internal sealed class EnvironmentCredentialSource : IAwsCredentialSource
{
    public const string Name = "Environment";

    public const string AccessKeyIdVariable = EnvironmentVariables.AccessKeyId;
    public const string SecretAccessKeyVariable = EnvironmentVariables.SecretAccessKey;
    public const string SessionTokenVariable = EnvironmentVariables.SessionToken;

    /// <summary>The legacy name of <see cref="SessionTokenVariable"/>, read when that is not set (as botocore does).</summary>
    public const string LegacySessionTokenVariable = EnvironmentVariables.LegacySecurityToken;
    public const string AccountIdVariable = EnvironmentVariables.AccountId;

    private const string NotConfiguredMessage = "Environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set.";

    private const string MissingSecretMessage =
        "Environment: AWS_SECRET_ACCESS_KEY is not set, but AWS_ACCESS_KEY_ID is. Set both, or unset AWS_ACCESS_KEY_ID to let the chain use another source.";

    private const string MissingKeyIdMessage =
        "Environment: AWS_ACCESS_KEY_ID is not set, but AWS_SECRET_ACCESS_KEY is. Set both, or unset AWS_SECRET_ACCESS_KEY to let the chain use another source.";

    private const string TokenWithoutKeysMessage =
        "Environment: AWS_SESSION_TOKEN is set, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not. Set all three, or unset AWS_SESSION_TOKEN.";

    private static readonly KeyPairRules Rules = new(
        Name, NotConfiguredMessage, MissingSecretMessage, MissingKeyIdMessage, TokenWithoutKeysMessage, (AccessKeyIdVariable, SecretAccessKeyVariable, SessionTokenVariable));

    private readonly IEnvironment _environment;

    public EnvironmentCredentialSource(IEnvironment environment)
    {
        _environment = environment;
    }

    public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string? keyId = _environment.GetNonBlank(AccessKeyIdVariable);
        string? secret = _environment.GetNonBlank(SecretAccessKeyVariable);

        // The legacy AWS_SECURITY_TOKEN stands in for AWS_SESSION_TOKEN beside a key pair, as botocore reads it; alone it configures nothing.
        string? token = _environment.GetNonBlank(SessionTokenVariable)
            ?? (keyId is not null && secret is not null ? _environment.GetNonBlank(LegacySessionTokenVariable) : null);
        return new ValueTask<AwsCredentials>(Rules.Create(keyId, secret, token, _environment.GetNonBlank(AccountIdVariable)));
    }
}
