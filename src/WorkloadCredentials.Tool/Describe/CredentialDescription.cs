using WorkloadCredentials.Diagnostics;
using WorkloadCredentials.Tool.Internal;

namespace WorkloadCredentials.Tool.Describe;

/// <summary>
/// What <c>describe</c> shows, built from the library's public <see cref="CredentialSourceDescription"/> (which holds no secret) in
/// command-line wording: every text passes the <see cref="OutputGuard"/> (the secrets the tool knows masked, control characters
/// escaped) before either writer sees it.
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

    public IReadOnlyList<DescribedSource> Sources { get; private init; } = [];

    public ResolutionErrorKind ErrorKind { get; private init; }

    public string? ErrorSource { get; private init; }

    public string? ErrorMessage { get; private init; }

    /// <param name="d">The library's description.</param>
    /// <param name="now">The current time, for <see cref="ExpiresInSeconds"/>.</param>
    /// <param name="guard">The last check before the terminal.</param>
    public static CredentialDescription From(CredentialSourceDescription d, DateTimeOffset now, OutputGuard guard)
    {
        bool resolved = d.Status == CredentialResolutionStatus.Resolved;
        DateTimeOffset? expiration = d.Expiration?.ToUniversalTime();
        return new CredentialDescription
        {
            Resolved = resolved,
            Source = guard.Clean(d.SourceName),
            AccessKeyId = guard.Clean(d.RedactedAccessKeyId),
            Temporary = d.IsTemporary,
            AccountId = guard.Clean(d.AccountId),
            RoleArn = guard.Clean(d.RoleArn),
            Expiration = expiration,
            ExpiresInSeconds = expiration is { } e ? SecondsUntil(e, now) : null,
            Profile = d.Profile is { } profile ? Summary(profile, now, guard) : null,
            IgnoredRoleSetting = guard.Clean(d.IgnoredRoleSetting),
            ExternalId = d.Profile is { ExternalIdProfiles.Count: > 0 } p
                ? guard.Clean($"configured ({string.Join(", ", p.ExternalIdProfiles.Select(name => $"external_id of profile '{name}'"))})")
                : null,
            Sources = d.Sources.Select(s => new DescribedSource(guard.Clean(s.Name), s.Status, guard.Clean(CommandLineWording.Apply(s.Reason)))).ToArray(),
            ErrorKind = d.Status switch
            {
                CredentialResolutionStatus.Resolved => ResolutionErrorKind.None,
                CredentialResolutionStatus.Unavailable => ResolutionErrorKind.NoCredentials,
                _ => ResolutionErrorKind.SourceFailed,
            },
            ErrorSource = guard.Clean(d.ErrorSourceName),
            ErrorMessage = guard.Clean(CommandLineWording.Apply(d.ErrorMessage)),
        };
    }

    /// <summary>The status names used by the JSON output (stable) and the text output.</summary>
    public static string StatusName(CredentialSourceStatus status) => status switch
    {
        CredentialSourceStatus.Chosen => "chosen",
        CredentialSourceStatus.Unavailable => "unavailable",
        CredentialSourceStatus.Failed => "failed",
        _ => "notTried",
    };

    public static string ErrorKindName(ResolutionErrorKind kind) => kind switch
    {
        ResolutionErrorKind.NoCredentials => "noCredentials",
        ResolutionErrorKind.SourceFailed => "sourceFailed",
        _ => "none",
    };

    private static long SecondsUntil(DateTimeOffset time, DateTimeOffset now) => (long)Math.Floor((time - now).TotalSeconds);

    private static ProfileSummary Summary(CredentialProfileDescription profile, DateTimeOffset now, OutputGuard guard)
    {
        DateTimeOffset? ssoToken = profile.SsoTokenExpiration?.ToUniversalTime();
        string origin = profile.Origin switch
        {
            CredentialProfileOrigin.Options => "named by --profile",
            CredentialProfileOrigin.Environment => "named by AWS_PROFILE",
            _ => "the default profile",
        };
        return new ProfileSummary(guard.Clean(profile.Name), origin, guard.Clean(profile.Plan), guard.Clean(profile.ConfigFile), guard.Clean(profile.CredentialsFile), ssoToken, ssoToken is { } t ? SecondsUntil(t, now) : null);
    }
}
