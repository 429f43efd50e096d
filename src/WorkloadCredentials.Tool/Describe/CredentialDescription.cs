using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Tool.Internal;

namespace WorkloadCredentials.Tool.Describe;

/// <summary>
/// What <c>describe</c> shows: the chosen source, why each other source was skipped, the role, account and expiry, the access key id
/// redacted. Built so that it cannot hold a secret: the credentials themselves are not kept, and every text passes the
/// <see cref="OutputGuard"/> (known secrets masked, control characters escaped) before either writer sees it.
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

    /// <summary>Gets where the External ID is configured (<c>configured (external_id of profile 'x')</c>), never its value.</summary>
    public string? ExternalId { get; private init; }

    public IReadOnlyList<ChainResolutionEntry> Sources { get; private init; } = [];

    public ResolutionErrorKind ErrorKind { get; private init; }

    public string? ErrorSource { get; private init; }

    public string? ErrorMessage { get; private init; }

    public static CredentialDescription From(ResolutionOutcome outcome, DateTimeOffset now, OutputGuard guard)
    {
        AwsCredentials? credentials = outcome.Credentials;
        DateTimeOffset? expiration = credentials?.Expiration?.ToUniversalTime();
        return new CredentialDescription
        {
            Resolved = credentials is not null,
            Source = guard.Clean(credentials?.SourceName),
            AccessKeyId = credentials is null ? null : guard.Clean(AwsCredentials.RedactAccessKeyId(credentials.AccessKeyId)),
            Temporary = credentials?.SessionToken is not null,
            AccountId = guard.Clean(credentials?.AccountId),
            RoleArn = guard.Clean(credentials?.RoleArn),
            Expiration = expiration,
            ExpiresInSeconds = expiration is { } e ? (long)Math.Floor((e - now).TotalSeconds) : null,
            Profile = outcome.Profile is { } p
                ? new ProfileSummary(guard.Clean(p.Name), p.Origin, guard.Clean(p.Chain), guard.Clean(p.ConfigFile), guard.Clean(p.CredentialsFile))
                : null,
            IgnoredRoleSetting = guard.Clean(outcome.Resolution?.IgnoredRoleSetting),
            ExternalId = guard.Clean(outcome.ExternalId),
            Sources = outcome.Resolution?.Entries.Select(e => Entry(e, outcome, guard)).ToArray() ?? [],
            ErrorKind = outcome.ErrorKind,
            ErrorSource = guard.Clean(outcome.ErrorSourceName),
            ErrorMessage = guard.Clean(outcome.ErrorMessage),
        };
    }

    /// <summary>
    /// One source of the chain, its reason in command-line wording. A source the chain chose whose answer the tool then refused
    /// (expired credentials) is shown as failed, with the tool's reason.
    /// </summary>
    private static ChainResolutionEntry Entry(ChainResolutionEntry entry, ResolutionOutcome outcome, OutputGuard guard) =>
        entry.Status == ChainSourceStatus.Chosen && outcome.Credentials is null && outcome.ErrorMessage is { } refused
            ? entry with { SourceName = guard.Clean(entry.SourceName), Status = ChainSourceStatus.Failed, Reason = guard.Clean(refused) }
            : entry with { SourceName = guard.Clean(entry.SourceName), Reason = guard.Clean(CommandLineWording.Apply(entry.Reason)) };

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
