using System.Globalization;
using System.Text;

namespace WorkloadCredentials.Diagnostics;

/// <summary>
/// What a credential source gives and why, for health endpoints, logs and the <c>workload-credentials describe</c> command: the
/// source that resolved, each source of the chain with its status and reason, the role, account and expiry, the access key id
/// redacted. Get one with <see cref="AwsCredentialSourceDescribeExtensions.DescribeAsync"/>.
/// </summary>
/// <remarks>
/// Never holds a secret: the secret key and the session token are not kept, the access key id is cut to its first 8 characters, known
/// secrets are masked in every reason and message, and control characters are escaped. <see cref="ToString"/> is safe to log.
/// </remarks>
public sealed class CredentialSourceDescription
{
    internal CredentialSourceDescription(CredentialResolutionStatus status, IReadOnlyList<CredentialSourceStatusEntry> sources)
    {
        Status = status;
        Sources = sources;
    }

    /// <summary>Gets whether credentials resolved, and if not, whether nothing was configured or a source failed.</summary>
    public CredentialResolutionStatus Status { get; }

    /// <summary>
    /// Gets the name of the source that produced the credentials (<see cref="AwsCredentials.SourceName"/>, such as <c>Environment</c>,
    /// <c>WebIdentity</c> or <c>AssumeRole</c>), or <see langword="null"/> when none resolved.
    /// </summary>
    public string? SourceName { get; internal init; }

    /// <summary>Gets the access key id redacted (its first 8 characters, then <c>***</c>), or <see langword="null"/> when none resolved.</summary>
    public string? RedactedAccessKeyId { get; internal init; }

    /// <summary>Gets whether the credentials are temporary (they carry a session token); <see langword="false"/> when none resolved.</summary>
    public bool IsTemporary { get; internal init; }

    /// <summary>Gets the AWS account id of the credentials, where the source knows it.</summary>
    public string? AccountId { get; internal init; }

    /// <summary>Gets the ARN of the role the credentials act as, where the source knows it.</summary>
    public string? RoleArn { get; internal init; }

    /// <summary>Gets when the credentials expire, or <see langword="null"/> when they do not (or none resolved).</summary>
    public DateTimeOffset? Expiration { get; internal init; }

    /// <summary>Gets the shared config profile behind the credentials when the profile source resolved them, else <see langword="null"/>.</summary>
    public CredentialProfileDescription? Profile { get; internal init; }

    /// <summary>
    /// Gets the web identity role setting ignored because keys won (for example <c>AWS_ROLE_ARN=arn:aws:iam::111122223333:role/app</c>),
    /// or <see langword="null"/>: a sign that leftover keys hide the role a workload was meant to use.
    /// </summary>
    public string? IgnoredRoleSetting { get; internal init; }

    /// <summary>
    /// Gets each source of the chain, in chain order, with what happened to it in the chain's last full resolution; empty when the
    /// source described is not a chain built by this library (a custom source). When the chain chose a source but no credentials came
    /// out (the cache refused them as expired, or a role on top failed), that source is <see cref="CredentialSourceStatus.Failed"/> with
    /// <see cref="ErrorMessage"/> as its reason.
    /// </summary>
    public IReadOnlyList<CredentialSourceStatusEntry> Sources { get; }

    /// <summary>Gets the name of the source that failed or of the chain that found nothing, where known; <see langword="null"/> when resolved.</summary>
    public string? ErrorSourceName { get; internal init; }

    /// <summary>
    /// Gets why no credentials resolved (the library's message, naming each source, the setting and the fix), or
    /// <see langword="null"/> when resolved. Known secrets are masked and control characters escaped.
    /// </summary>
    public string? ErrorMessage { get; internal init; }

    /// <summary>Describes the description on one line, for logs.</summary>
    /// <returns>The description; never a secret.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder("CredentialSourceDescription { Status = ").Append(Status.ToString());
        if (Status == CredentialResolutionStatus.Resolved)
        {
            string expiration = Expiration is { } e ? e.ToString("O", CultureInfo.InvariantCulture) : "never";
            _ = builder.Append(", Source = ").Append(SourceName)
                .Append(", AccessKeyId = ").Append(RedactedAccessKeyId)
                .Append(", Temporary = ").Append(IsTemporary ? "yes" : "no")
                .Append(", AccountId = ").Append(AccountId ?? "unknown")
                .Append(", RoleArn = ").Append(RoleArn ?? "none")
                .Append(", Expiration = ").Append(expiration);
            if (Profile is { } profile)
            {
                _ = builder.Append(", Profile = ").Append(profile.ToString());
            }

            if (IgnoredRoleSetting is { } ignored)
            {
                _ = builder.Append(", IgnoredRoleSetting = ").Append(ignored);
            }
        }
        else
        {
            _ = builder.Append(", ErrorSource = ").Append(ErrorSourceName ?? "unknown")
                .Append(", Error = ").Append(ErrorMessage?.Replace('\n', ' '));
        }

        if (Sources.Count > 0)
        {
            _ = builder.Append(", Sources = [").AppendJoin(", ", Sources.Select(s => s.Name + ": " + s.Status.ToString())).Append(']');
        }

        return builder.Append(" }").ToString();
    }
}
