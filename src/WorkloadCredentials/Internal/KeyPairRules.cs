namespace WorkloadCredentials.Internal;

/// <summary>
/// The rules both key sources (explicit keys in options, keys in environment variables) apply to an access key id, secret and
/// session token: blank values count as unset; nothing set means the source is not configured (the chain moves on); a key id
/// without a secret, the reverse, or a session token without keys is a non-recoverable error that names what is missing, never a
/// fall-through to another identity. Each source gives its own messages, which name its settings and never hold a value.
/// </summary>
internal sealed class KeyPairRules
{
    private readonly string _sourceName;
    private readonly string _notConfigured;
    private readonly string _missingSecret;
    private readonly string _missingKeyId;
    private readonly string _tokenWithoutKeys;

    public KeyPairRules(string sourceName, string notConfigured, string missingSecret, string missingKeyId, string tokenWithoutKeys)
    {
        _sourceName = sourceName;
        _notConfigured = notConfigured;
        _missingSecret = missingSecret;
        _missingKeyId = missingKeyId;
        _tokenWithoutKeys = tokenWithoutKeys;
    }

    /// <summary>Builds the credentials, or throws the source's exception for what is missing.</summary>
    /// <exception cref="CredentialUnavailableException">Neither the key id nor the secret (nor a session token) is set.</exception>
    /// <exception cref="AwsCredentialException">Only part of the keys is set (non-recoverable).</exception>
    public AwsCredentials Create(string? accessKeyId, string? secretAccessKey, string? sessionToken, string? accountId)
    {
        accessKeyId = NonBlank(accessKeyId);
        secretAccessKey = NonBlank(secretAccessKey);
        sessionToken = NonBlank(sessionToken);

        if (accessKeyId is null && secretAccessKey is null)
        {
            throw sessionToken is null
                ? new CredentialUnavailableException(_notConfigured, _sourceName)
                : new AwsCredentialException(_tokenWithoutKeys, _sourceName, isRecoverable: false);
        }

        if (secretAccessKey is null)
        {
            throw new AwsCredentialException(_missingSecret, _sourceName, isRecoverable: false);
        }

        if (accessKeyId is null)
        {
            throw new AwsCredentialException(_missingKeyId, _sourceName, isRecoverable: false);
        }

        return new AwsCredentials(accessKeyId, secretAccessKey, sessionToken, expiration: null, _sourceName) { AccountId = NonBlank(accountId) };
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
