namespace WorkloadCredentials.Diagnostics;

/// <summary>
/// Who a credential source's credentials act as, from <c>sts:GetCallerIdentity</c>: the account, the ARN and the user id. Never a
/// secret; <see cref="ToString"/> is safe to log. Get one with <see cref="AwsCredentialSourceIdentityExtensions.GetCallerIdentityAsync"/>.
/// </summary>
public sealed class CallerIdentity
{
    internal CallerIdentity(string account, string arn, string userId)
    {
        Account = account;
        Arn = arn;
        UserId = userId;
    }

    /// <summary>Gets the AWS account id, such as <c>123456789012</c>.</summary>
    public string Account { get; }

    /// <summary>Gets the ARN of the caller, such as <c>arn:aws:sts::123456789012:assumed-role/app/session</c>.</summary>
    public string Arn { get; }

    /// <summary>Gets the unique id of the caller, such as <c>AROA3XFRBF23EXAMPLE:session</c>.</summary>
    public string UserId { get; }

    /// <summary>Describes the identity on one line: <c>CallerIdentity { Account = ..., Arn = ..., UserId = ... }</c>.</summary>
    /// <returns>The description; never a secret.</returns>
    public override string ToString() => $"CallerIdentity {{ Account = {Account}, Arn = {Arn}, UserId = {UserId} }}";
}
