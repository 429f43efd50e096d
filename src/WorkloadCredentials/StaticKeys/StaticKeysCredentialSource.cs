using WorkloadCredentials.Internal;

namespace WorkloadCredentials.StaticKeys;

/// <summary>
/// Explicit keys from options or configuration (<see cref="WorkloadCredentialsOptions.StaticKeys"/>). Blank values count as unset;
/// a key id without a secret (or the reverse) is an error that names the missing option, never a fall-through to another identity.
/// </summary>
internal sealed class StaticKeysCredentialSource : IAwsCredentialSource
{
    public const string Name = "StaticKeys";

    private const string NotConfiguredMessage =
        "StaticKeys: no explicit keys are configured (StaticKeys.AccessKeyId and StaticKeys.SecretAccessKey are not set).";

    private const string MissingSecretMessage =
        "StaticKeys: StaticKeys.SecretAccessKey (configuration key AWS:StaticKeys:SecretAccessKey) is not set, but StaticKeys.AccessKeyId is. " +
        "Set both, or neither to let the chain use another source.";

    private const string MissingKeyIdMessage =
        "StaticKeys: StaticKeys.AccessKeyId (configuration key AWS:StaticKeys:AccessKeyId) is not set, but StaticKeys.SecretAccessKey is. " +
        "Set both, or neither to let the chain use another source.";

    private const string TokenWithoutKeysMessage =
        "StaticKeys: StaticKeys.SessionToken is set, but StaticKeys.AccessKeyId and StaticKeys.SecretAccessKey are not. " +
        "Set all three (configuration keys AWS:StaticKeys:AccessKeyId, AWS:StaticKeys:SecretAccessKey, AWS:StaticKeys:SessionToken), or none.";

    private static readonly KeyPairRules Rules = new(
        Name,
        NotConfiguredMessage,
        MissingSecretMessage,
        MissingKeyIdMessage,
        TokenWithoutKeysMessage,
        ("StaticKeys.AccessKeyId (configuration key AWS:StaticKeys:AccessKeyId)",
            "StaticKeys.SecretAccessKey (configuration key AWS:StaticKeys:SecretAccessKey)",
            "StaticKeys.SessionToken (configuration key AWS:StaticKeys:SessionToken)"));

    private readonly StaticKeysCredentialOptions _options;

    public StaticKeysCredentialSource(StaticKeysCredentialOptions options)
    {
        _options = options;
    }

    public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<AwsCredentials>(Rules.Create(_options.AccessKeyId, _options.SecretAccessKey, _options.SessionToken, _options.AccountId));
    }
}
