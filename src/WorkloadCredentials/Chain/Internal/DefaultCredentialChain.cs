using WorkloadCredentials.AssumeRole.Internal;
using WorkloadCredentials.Container;
using WorkloadCredentials.EnvironmentKeys;
using WorkloadCredentials.InstanceMetadata;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.StaticKeys;
using WorkloadCredentials.Sts;
using WorkloadCredentials.Sts.Internal;
using WorkloadCredentials.WebIdentity.Internal;

namespace WorkloadCredentials.Chain.Internal;

/// <summary>
/// Builds the default chain, in the order of the design: custom sources, explicit keys, environment keys, shared profile,
/// web identity, container, instance metadata; then a role from options wraps whatever resolved.
/// Each built-in source is an <see cref="IAwsCredentialSource"/> that throws <see cref="CredentialUnavailableException"/>
/// when it is not configured (the chain records the reason and moves on) and <see cref="AwsCredentialException"/> when it
/// is configured but fails (the chain stops).
/// </summary>
internal static class DefaultCredentialChain
{
    /// <summary>The environment variable whose presence makes keys-win-over-role worth a warning.</summary>
    public const string RoleArnVariable = "AWS_ROLE_ARN";

    public static IAwsCredentialSource Create(CredentialSourceContext context)
    {
        Throw.IfNull(context);
        WorkloadCredentialsOptions options = context.Options;
        var links = new List<ChainLink>();

        // 0. Custom sources, in the order given.
        foreach (IAwsCredentialSource custom in options.CustomSources)
        {
            links.Add(new ChainLink(custom.GetType().Name, custom));
        }

        // 1. Explicit keys (options/configuration)            -- StaticKeys/
        links.Add(new ChainLink(StaticKeysCredentialSource.Name, new StaticKeysCredentialSource(options.StaticKeys), IsKeys: true, Owned: true));

        // A profile chosen explicitly (WorkloadCredentialsOptions.Profile, the CLI's --profile) is not overridden by the environment's
        // keys or web identity, as with `aws --profile` and botocore's explicit profile. AWS_PROFILE alone keeps the SDKs' order.
        string? explicitProfile = string.IsNullOrWhiteSpace(options.Profile) ? null : options.Profile;

        // 2. Environment keys                                 -- Environment/
        links.Add(new ChainLink(
            EnvironmentCredentialSource.Name,
            explicitProfile is null ? new EnvironmentCredentialSource(context.Environment) : NotConsulted(EnvironmentCredentialSource.Name, "AWS_ACCESS_KEY_ID", explicitProfile),
            IsKeys: true,
            Owned: true));

        // 3. Shared config profile                            -- Profiles/
        //    A profile with no role gives way to the environment's web identity (4.), as in botocore: an image's baked keys never
        //    override the pod's IRSA role. A profile with a role keeps its place.
        Func<string, string?> profileSettings = SelectedProfileSettings.Create(context);
        var regionHint = new DefaultRegionHint(context, profileSettings);
        Func<string?>? webIdentityFirst = explicitProfile is null ? () => WebIdentityTokenFileSetting(context) : null;
        links.Add(new ChainLink(
            ProfileCredentialSource.SourceName,
            new ProfileCredentialSource(context, new BuiltInProfileStepFactory(context, profileSettings, regionHint), webIdentityFirst: webIdentityFirst),
            Owned: true));

        // 4. Web identity (EKS IRSA)                          -- WebIdentity/
        links.Add(new ChainLink(
            StsConstants.WebIdentitySourceName,
            explicitProfile is not null && string.IsNullOrWhiteSpace(options.WebIdentity?.WebIdentityTokenFile) && context.Environment.GetNonBlank(StsConstants.EnvWebIdentityTokenFile) is not null
                ? NotConsulted(StsConstants.WebIdentitySourceName, StsConstants.EnvWebIdentityTokenFile, explicitProfile)
                : WebIdentitySourceFactory.FromContext(context, regionHint),
            Owned: true));

        // 5. Container credentials (ECS, EKS Pod Identity)    -- Container/
        links.Add(new ChainLink(ContainerCredentialSource.Name, new ContainerCredentialSource(context), Owned: true));

        // 6. EC2 instance metadata                            -- InstanceMetadata/
        links.Add(new ChainLink(ImdsCredentialSource.Name, new ImdsCredentialSource(context, profileSettings), Owned: true));

        IAwsCredentialSource chain = new CredentialChain(
            links,
            context.CreateLogger(typeof(CredentialChain).FullName!),
            () => DescribeWebIdentityRole(context));

        // 7. AssumeRole from options wraps the chain          -- AssumeRole/
        //    (keys -> assume role with External ID: the role wraps whatever the chain resolved, keys included)
        chain = AssumeRoleChainWrapper.Wrap(chain, context, regionHint);
        return chain;
    }

    /// <summary>
    /// Describes the web identity role settings present, for the keys-win warning; <see langword="null"/> when there are none.
    /// </summary>
    /// <summary>Names the setting that configures web identity (options first, then the environment), or <see langword="null"/>.</summary>
    internal static string? WebIdentityTokenFileSetting(CredentialSourceContext context) =>
        !string.IsNullOrWhiteSpace(context.Options.WebIdentity?.WebIdentityTokenFile) ? "AWS:WebIdentity:WebIdentityTokenFile"
        : context.Environment.GetNonBlank(StsConstants.EnvWebIdentityTokenFile) is not null ? StsConstants.EnvWebIdentityTokenFile
        : null;

    private static FailedCredentialSource NotConsulted(string sourceName, string variable, string profile) =>
        FailedCredentialSource.Unavailable(
            $"{sourceName}: {variable} and the like are not consulted: WorkloadCredentialsOptions.Profile chooses profile '{SafeText.Escape(profile, 64)}' explicitly, and the environment does not override an explicit profile (as with `aws --profile`). Use AWS_PROFILE instead to keep the environment first.",
            sourceName);

    internal static string? DescribeWebIdentityRole(CredentialSourceContext context)
    {
        if (context.Options.WebIdentity.RoleArn is { Length: > 0 } arn)
        {
            return "AWS:WebIdentity:RoleArn=" + arn;
        }

        return context.Environment.GetNonBlank(RoleArnVariable) is { } roleArn ? RoleArnVariable + "=" + roleArn : null;
    }
}
