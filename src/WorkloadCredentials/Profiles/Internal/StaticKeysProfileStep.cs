namespace WorkloadCredentials.Profiles.Internal;

/// <summary><c>aws_access_key_id</c> and <c>aws_secret_access_key</c> (and optionally <c>aws_session_token</c>, <c>aws_account_id</c>).</summary>
internal sealed class StaticKeysProfileStep : ProfileBaseStep
{
    public StaticKeysProfileStep(string profileName, string location, string accessKeyId, string secretAccessKey, string? sessionToken, string? accountId)
        : base(profileName, location)
    {
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = sessionToken;
        AccountId = accountId;
    }

    public string AccessKeyId { get; }

    /// <summary>Gets the secret. Never log it.</summary>
    public string SecretAccessKey { get; }

    /// <summary>Gets the session token. Never log it.</summary>
    public string? SessionToken { get; }

    public string? AccountId { get; }

    public override string Describe() =>
        $"static keys {AwsCredentials.RedactAccessKeyId(AccessKeyId)} of profile '{ProfileName}'";
}
