using System.Globalization;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials;

/// <summary>
/// An immutable set of AWS credentials and where they came from. <see cref="ToString"/> never shows the secret or the token.
/// </summary>
public sealed class AwsCredentials
{
    /// <summary>Initializes a new instance of the <see cref="AwsCredentials"/> class.</summary>
    /// <param name="accessKeyId">The access key id.</param>
    /// <param name="secretAccessKey">The secret access key.</param>
    /// <param name="sessionToken">The session token of temporary credentials, or <see langword="null"/>.</param>
    /// <param name="expiration">When the credentials expire, or <see langword="null"/> when they do not.</param>
    /// <param name="sourceName">The name of the source that produced them.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="accessKeyId"/>, <paramref name="secretAccessKey"/> or <paramref name="sourceName"/> is null or blank, or a
    /// credential value is malformed (not printable ASCII, a space, a quote, a backslash, or longer than any AWS credential). The
    /// message says which value and what is wrong, never the value.
    /// </exception>
    public AwsCredentials(string accessKeyId, string secretAccessKey, string? sessionToken, DateTimeOffset? expiration, string sourceName)
    {
        AccessKeyId = Throw.IfNullOrWhiteSpace(accessKeyId);
        SecretAccessKey = Throw.IfNullOrWhiteSpace(secretAccessKey);
        SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
        CredentialValueRules.ThrowIfMalformed(AccessKeyId, CredentialValueRules.AccessKeyId, nameof(accessKeyId));
        CredentialValueRules.ThrowIfMalformed(SecretAccessKey, CredentialValueRules.SecretAccessKey, nameof(secretAccessKey));
        CredentialValueRules.ThrowIfMalformed(SessionToken, CredentialValueRules.SessionToken, nameof(sessionToken));

        Expiration = expiration;
        SourceName = Throw.IfNullOrWhiteSpace(sourceName);
    }

    /// <summary>Gets the access key id.</summary>
    public string AccessKeyId { get; }

    /// <summary>
    /// Gets the access key id redacted, safe for logs and diagnostics: its first 8 characters (4 when it is 8 or shorter), then
    /// <c>***</c>, such as <c>AKIA1234***</c>: enough to tell keys apart, as the AWS CLI's <c>configure list</c> does.
    /// </summary>
    public string RedactedAccessKeyId => RedactAccessKeyId(AccessKeyId);

    /// <summary>Gets the secret access key. Never log it.</summary>
    public string SecretAccessKey { get; }

    /// <summary>Gets the session token of temporary credentials, or <see langword="null"/>. Never log it.</summary>
    public string? SessionToken { get; }

    /// <summary>Gets when the credentials expire, or <see langword="null"/> when they do not.</summary>
    public DateTimeOffset? Expiration { get; }

    /// <summary>Gets the name of the source that produced the credentials, such as <c>Environment</c> or <c>WebIdentity</c>.</summary>
    public string SourceName { get; }

    /// <summary>Gets the AWS account id the credentials belong to, where the source knows it.</summary>
    public string? AccountId { get; init; }

    /// <summary>Gets the ARN of the role the credentials act as (an assumed role or an instance profile role), where the source knows it.</summary>
    public string? RoleArn { get; init; }

    /// <summary>Returns a copy with another <see cref="SourceName"/>.</summary>
    /// <param name="sourceName">The new source name.</param>
    /// <returns>The copy.</returns>
    public AwsCredentials WithSourceName(string sourceName) =>
        new(AccessKeyId, SecretAccessKey, SessionToken, Expiration, sourceName) { AccountId = AccountId, RoleArn = RoleArn };

    /// <summary>Describes the credentials without the secret key or the session token.</summary>
    /// <returns>A redacted description.</returns>
    public override string ToString()
    {
        string expiration = Expiration is { } e ? e.ToString("O", CultureInfo.InvariantCulture) : "never";
        return $"AwsCredentials {{ AccessKeyId = {RedactedAccessKeyId}, Source = {SourceName}, Expiration = {expiration}, AccountId = {AccountId ?? "unknown"}, RoleArn = {RoleArn ?? "none"}, SecretAccessKey = ***, SessionToken = {(SessionToken is null ? "none" : "***")} }}";
    }

    internal static string RedactAccessKeyId(string accessKeyId) =>
        SafeText.Escape(accessKeyId.Length <= 8 ? accessKeyId[..Math.Min(4, accessKeyId.Length)] : accessKeyId[..8]) + "***";
}
