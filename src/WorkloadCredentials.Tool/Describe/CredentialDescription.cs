using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Tool.Internal;

namespace WorkloadCredentials.Tool.Describe;

/// <summary>
/// What <c>describe</c> shows: the chosen source, why each other source was skipped, the role, account and expiry, the access key id
/// redacted. Built so that it cannot hold a secret: the credentials themselves are not kept.
/// </summary>
internal sealed class CredentialDescription
{
    private CredentialDescription()
    {
    }

    public bool Resolved { get; private init; }

    public string? Source { get; private init; }

    /// <summary>Gets the redacted access key id (first 8 characters then <c>***</c>).</summary>
    public string? AccessKeyId { get; private init; }

    public bool Temporary { get; private init; }

    public string? AccountId { get; private init; }

    public string? RoleArn { get; private init; }

    public DateTimeOffset? Expiration { get; private init; }

    /// <summary>Gets the whole seconds left until <see cref="Expiration"/> (negative when expired).</summary>
    public long? ExpiresInSeconds { get; private init; }

    public ProfileSummary? Profile { get; private init; }

    public string? IgnoredRoleSetting { get; private init; }

    public IReadOnlyList<ChainResolutionEntry> Sources { get; private init; } = [];

    public ResolutionErrorKind ErrorKind { get; private init; }

    public string? ErrorSource { get; private init; }

    public string? ErrorMessage { get; private init; }

    public static CredentialDescription From(ResolutionOutcome outcome, DateTimeOffset now)
    {
        AwsCredentials? credentials = outcome.Credentials;
        DateTimeOffset? expiration = credentials?.Expiration?.ToUniversalTime();
        return new CredentialDescription
        {
            Resolved = credentials is not null,
            Source = credentials?.SourceName,
            AccessKeyId = credentials is null ? null : AwsCredentials.RedactAccessKeyId(credentials.AccessKeyId),
            Temporary = credentials?.SessionToken is not null,
            AccountId = credentials?.AccountId,
            RoleArn = credentials?.RoleArn,
            Expiration = expiration,
            ExpiresInSeconds = expiration is { } e ? (long)Math.Floor((e - now).TotalSeconds) : null,
            Profile = outcome.Profile,
            IgnoredRoleSetting = outcome.Resolution?.IgnoredRoleSetting,
            Sources = outcome.Resolution?.Entries.Select(e => e with { Reason = CommandLineWording.Apply(e.Reason) }).ToArray() ?? [],
            ErrorKind = outcome.ErrorKind,
            ErrorSource = outcome.ErrorSourceName,
            ErrorMessage = outcome.ErrorMessage,
        };
    }

    /// <summary>The status names used by the JSON output (stable) and the text output.</summary>
    public static string StatusName(ChainSourceStatus status) => status switch
    {
        ChainSourceStatus.Chosen => "chosen",
        ChainSourceStatus.Unavailable => "unavailable",
        ChainSourceStatus.Failed => "failed",
        _ => "notTried",
    };

    public static string ErrorKindName(ResolutionErrorKind kind) => kind switch
    {
        ResolutionErrorKind.NoCredentials => "noCredentials",
        ResolutionErrorKind.SourceFailed => "sourceFailed",
        _ => "none",
    };
}
