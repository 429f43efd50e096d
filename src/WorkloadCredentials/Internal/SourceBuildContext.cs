namespace WorkloadCredentials.Internal;

/// <summary>What a <see cref="CredentialSourceDefinition"/> builds its source from; the composer (the default chain, a factory method) fills it.</summary>
internal sealed class SourceBuildContext
{
    public SourceBuildContext(CredentialSourceContext context, Func<string, string?> profileSettings, IRegionHint regionHint)
    {
        Context = Throw.IfNull(context);
        ProfileSettings = Throw.IfNull(profileSettings);
        RegionHint = Throw.IfNull(regionHint);
    }

    /// <summary>Gets the options, environment, clock and logging.</summary>
    public CredentialSourceContext Context { get; }

    /// <summary>Gets a setting of the selected shared config profile (<c>region</c>, <c>metadata_service_timeout</c>), or <see langword="null"/>.</summary>
    public Func<string, string?> ProfileSettings { get; }

    /// <summary>Gets where STS finds a region when the configuration names none.</summary>
    public IRegionHint RegionHint { get; }

    /// <summary>
    /// Gets the profile chosen explicitly (<see cref="WorkloadCredentialsOptions.Profile"/>, the CLI's <c>--profile</c>), or
    /// <see langword="null"/>: sources the environment configures are then not consulted, as with <c>aws --profile</c>.
    /// </summary>
    public string? ExplicitProfile { get; init; }

    /// <summary>
    /// Gets a probe naming the setting of a source that outranks a profile without a role (web identity from the environment), or
    /// <see langword="null"/> when no such rule applies (an explicit profile, a source composed by hand).
    /// </summary>
    public Func<string?>? OutrankingSetting { get; init; }

    /// <summary>Gets a value indicating whether credentials from the named source are a role session (the role-chaining cap).</summary>
    public Func<string, bool> IsRoleSource { get; init; } = static _ => false;

    /// <summary>
    /// Builds a new source for a profile's <c>credential_source</c> value (<c>Environment</c>, <c>Ec2InstanceMetadata</c>,
    /// <c>EcsContainer</c>), or returns <see langword="null"/> for a value no definition claims. The caller owns the source.
    /// </summary>
    public Func<string, IAwsCredentialSource?> CreateForProfile { get; init; } = static _ => null;

    /// <summary>
    /// Builds a new source for a profile's IAM Identity Center (SSO) settings, or returns <see langword="null"/> when no definition
    /// serves them. The caller owns the source.
    /// </summary>
    public Func<SsoProfileRequest, IAwsCredentialSource?> CreateForSsoProfile { get; init; } = static _ => null;

    /// <summary>Gets the source a wrapping definition wraps (the chain so far), or <see langword="null"/>.</summary>
    public IAwsCredentialSource? Inner { get; init; }

    /// <summary>Copies this context with the precedence rules of the default chain, or with the source a wrapper wraps.</summary>
    /// <param name="explicitProfile">See <see cref="ExplicitProfile"/>.</param>
    /// <param name="outrankingSetting">See <see cref="OutrankingSetting"/>.</param>
    /// <param name="inner">See <see cref="Inner"/>.</param>
    public SourceBuildContext With(string? explicitProfile = null, Func<string?>? outrankingSetting = null, IAwsCredentialSource? inner = null) =>
        new(Context, ProfileSettings, RegionHint)
        {
            IsRoleSource = IsRoleSource,
            CreateForProfile = CreateForProfile,
            CreateForSsoProfile = CreateForSsoProfile,
            ExplicitProfile = explicitProfile,
            OutrankingSetting = outrankingSetting,
            Inner = inner,
        };

    /// <summary>A source that is not consulted because a profile was chosen explicitly.</summary>
    /// <param name="sourceName">The source's name.</param>
    /// <param name="setting">The setting that would configure it.</param>
    public IAwsCredentialSource NotConsulted(string sourceName, string setting) =>
        FailedCredentialSource.Unavailable(
            $"{sourceName}: {setting} and the like are not consulted: WorkloadCredentialsOptions.Profile chooses profile '{SafeText.Escape(ExplicitProfile ?? string.Empty, 64)}' explicitly, and the environment does not override an explicit profile (as with `aws --profile`). Use AWS_PROFILE instead to keep the environment first.",
            sourceName);
}
