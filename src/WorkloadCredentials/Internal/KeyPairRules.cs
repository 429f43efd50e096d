namespace WorkloadCredentials.Internal;

/// <summary>
/// The rules both key sources (explicit keys in options, keys in environment variables) apply to an access key id, secret and
/// session token: blank values count as unset; nothing set means the source is not configured (the chain moves on); a key id
/// without a secret, the reverse, or a session token without keys is a non-recoverable error that names what is missing, never a
/// fall-through to another identity; a malformed value (<see cref="CredentialValueRules"/>: invalid UTF-8, a line break, NUL, a quote)
/// is a non-recoverable error that names the setting and the problem. Each source gives its own messages and setting names; no
/// message ever holds a value.
/// </summary>
internal sealed class KeyPairRules
{
    private readonly string _sourceName;
    private readonly string _notConfigured;
    private readonly string _missingSecret;
    private readonly string _missingKeyId;
    private readonly string _tokenWithoutKeys;
    private readonly (string AccessKeyId, string SecretAccessKey, string SessionToken) _settings;

    /// <summary>Creates the rules of one key source.</summary>
    /// <param name="sourceName">The source's name.</param>
    /// <param name="notConfigured">The message when nothing is set.</param>
    /// <param name="missingSecret">The message when the key id is set without a secret.</param>
    /// <param name="missingKeyId">The message when the secret is set without a key id.</param>
    /// <param name="tokenWithoutKeys">The message when only a session token is set.</param>
    /// <param name="settings">How the source's user names each value in a message (a variable, an option with its configuration key).</param>
    public KeyPairRules(
        string sourceName,
        string notConfigured,
        string missingSecret,
        string missingKeyId,
        string tokenWithoutKeys,
        (string AccessKeyId, string SecretAccessKey, string SessionToken) settings)
    {
        _settings = settings;
        _sourceName = sourceName;
        _notConfigured = notConfigured;
        _missingSecret = missingSecret;
        _missingKeyId = missingKeyId;
        _tokenWithoutKeys = tokenWithoutKeys;
    }

    /// <summary>Builds the credentials, or throws the source's exception for what is missing.</summary>
    /// <exception cref="CredentialUnavailableException">Neither the key id nor the secret (nor a session token) is set.</exception>
    /// <exception cref="AwsCredentialException">Only part of the keys is set, or a value is malformed (non-recoverable).</exception>
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

        ThrowIfMalformed(accessKeyId, CredentialValueRules.AccessKeyId, _settings.AccessKeyId);
        ThrowIfMalformed(secretAccessKey, CredentialValueRules.SecretAccessKey, _settings.SecretAccessKey);
        ThrowIfMalformed(sessionToken, CredentialValueRules.SessionToken, _settings.SessionToken);
        return new AwsCredentials(accessKeyId, secretAccessKey, sessionToken, expiration: null, _sourceName) { AccountId = NonBlank(accountId) };
    }

    private void ThrowIfMalformed(string? value, CredentialValueRules.ValueKind kind, string setting)
    {
        if (CredentialValueRules.Problem(value, kind) is { } problem)
        {
            throw new AwsCredentialException(
                $"{_sourceName}: {setting} is malformed: {problem}. Set it to the value AWS issued, with no quotes, spaces or line breaks.", _sourceName, isRecoverable: false);
        }
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
