using WorkloadCredentials.AssumeRole.Internal;
using WorkloadCredentials.Container.Internal;
using WorkloadCredentials.EnvironmentKeys.Internal;
using WorkloadCredentials.InstanceMetadata.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Sso.Internal;
using WorkloadCredentials.StaticKeys.Internal;
using WorkloadCredentials.WebIdentity.Internal;

namespace WorkloadCredentials.Chain.Internal;

/// <summary>
/// The registered built-in sources, in default-chain order. The default chain, the options validator, the profile steps
/// (<c>credential_source</c>), the role-chaining cap and the factory methods of <see cref="AwsCredentialSources"/> walk this list.
/// A new source is a new folder with its definition and one line here.
/// </summary>
internal static class SourceDefinitions
{
    private static readonly CredentialSourceDefinition[] Registered =
    [
        StaticKeysSourceDefinition.Instance,
        EnvironmentSourceDefinition.Instance,
        ProfileSourceDefinition.Instance,
        WebIdentitySourceDefinition.Instance,
        SsoSourceDefinition.Instance,
        ContainerSourceDefinition.Instance,
        InstanceMetadataSourceDefinition.Instance,
        AssumeRoleSourceDefinition.Instance,
    ];

    /// <summary>Gets the definitions, links by <see cref="CredentialSourceDefinition.ChainOrder"/> first, then the wrappers by theirs.</summary>
    public static IReadOnlyList<CredentialSourceDefinition> All { get; } =
        [.. Registered.OrderBy(static d => d.WrapsChain).ThenBy(static d => d.ChainOrder)];

    /// <summary>Gets whether credentials from the named source are a role session (assuming a role with them is role chaining).</summary>
    public static bool IsRoleSource(string sourceName)
    {
        foreach (CredentialSourceDefinition definition in All)
        {
            if (definition.IssuesRoleCredentials && string.Equals(definition.Name, sourceName, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets the definition a profile's <c>credential_source</c> value names, or <see langword="null"/>.</summary>
    public static CredentialSourceDefinition? ForProfileCredentialSource(string value)
    {
        foreach (CredentialSourceDefinition definition in All)
        {
            if (string.Equals(definition.ProfileCredentialSource, value, StringComparison.Ordinal))
            {
                return definition;
            }
        }

        return null;
    }

    /// <summary>Builds the source of the first definition that serves a profile's IAM Identity Center settings, or <see langword="null"/>.</summary>
    private static IAwsCredentialSource? CreateForSsoProfile(SourceBuildContext build, SsoProfileRequest request)
    {
        foreach (CredentialSourceDefinition definition in All)
        {
            if (definition.CreateForSsoProfile(build, request) is { } source)
            {
                return source;
            }
        }

        return null;
    }

    /// <summary>
    /// Builds the context every definition builds from: the selected profile's settings, the region hint, and the hooks that walk the
    /// definitions (<c>credential_source</c>, the role-chaining cap). No precedence rule applies (a source composed by hand).
    /// </summary>
    public static SourceBuildContext CreateBuildContext(CredentialSourceContext context)
    {
        Func<string, string?> profileSettings = SelectedProfileSettings.Create(context);
        return CreateBuildContext(context, profileSettings, new DefaultRegionHint(context, profileSettings));
    }

    /// <inheritdoc cref="CreateBuildContext(CredentialSourceContext)"/>
    public static SourceBuildContext CreateBuildContext(CredentialSourceContext context, Func<string, string?> profileSettings, IRegionHint regionHint)
    {
        SourceBuildContext? plain = null;
        plain = new SourceBuildContext(context, profileSettings, regionHint)
        {
            IsRoleSource = IsRoleSource,

            // A profile's credential_source builds its source with no precedence rule: the profile asked for it by name.
            CreateForProfile = value => ForProfileCredentialSource(value)?.Create(plain!),
            CreateForSsoProfile = request => CreateForSsoProfile(plain!, request),
        };
        return plain;
    }
}
