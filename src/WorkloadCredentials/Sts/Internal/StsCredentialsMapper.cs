using Amazon.SecurityToken.Model;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>Turns STS's answer into <see cref="AwsCredentials"/>: the account id comes from <c>AssumedRoleUser/Arn</c>.</summary>
internal static class StsCredentialsMapper
{
    /// <summary>
    /// Maps the answer, or returns <see langword="null"/> when it lacks keys or an expiration, or when a value is malformed; then
    /// <paramref name="problem"/> says what is wrong with it (<see cref="CredentialValueRules"/>), never quoting the value.
    /// </summary>
    public static AwsCredentials? Map(Credentials? credentials, AssumedRoleUser? user, string roleArn, string sourceName, out string? problem)
    {
        problem = null;
        if (credentials is null
            || string.IsNullOrWhiteSpace(credentials.AccessKeyId)
            || string.IsNullOrWhiteSpace(credentials.SecretAccessKey)
            || string.IsNullOrWhiteSpace(credentials.SessionToken)
            || credentials.Expiration is not { } expiration)
        {
            return null;
        }

        problem = CredentialValueRules.Problem(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);
        if (problem is not null)
        {
            return null;
        }

        return new AwsCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, ToUtc(expiration), sourceName)
        {
            AccountId = AccountIdFromArn(user?.Arn),
            RoleArn = roleArn,
        };
    }

    /// <summary>Gets the account id (the fifth field) of an ARN such as <c>arn:aws:sts::123456789012:assumed-role/name/session</c>.</summary>
    public static string? AccountIdFromArn(string? arn)
    {
        if (arn is null || !arn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return null;
        }

        string[] parts = arn.Split(':', 6);
        return parts.Length == 6 && parts[4].Length > 0 && parts[4].All(char.IsAsciiDigit) ? parts[4] : null;
    }

    private static DateTimeOffset ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => new DateTimeOffset(value, TimeSpan.Zero),
        DateTimeKind.Local => new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero),
        _ => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero),
    };
}
