using Microsoft.Extensions.Options;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Sts;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.WebIdentity.Internal;

/// <summary>
/// Web identity (EKS IRSA): <see cref="WorkloadCredentialsOptions.WebIdentity"/>, or <c>AWS_ROLE_ARN</c> and
/// <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>. From the environment it outranks a profile that holds no role, as in the AWS SDKs.
/// </summary>
internal sealed class WebIdentitySourceDefinition : CredentialSourceDefinition
{
    private const string OptionTokenFile = "AWS:WebIdentity:WebIdentityTokenFile";

    public static WebIdentitySourceDefinition Instance { get; } = new();

    public override string Name => StsConstants.WebIdentitySourceName;

    public override int ChainOrder => 400;

    public override bool IssuesRoleCredentials => true;

    public override bool OutranksProfileWithoutRole => true;

    public override bool IsExcluded(WorkloadCredentialsOptions options) => options.ExcludeWebIdentity;

    /// <summary>Names the setting that configures web identity (options first, then the environment), or <see langword="null"/>.</summary>
    public override string? ConfiguredBy(CredentialSourceContext context) =>
        !string.IsNullOrWhiteSpace(context.Options.WebIdentity?.WebIdentityTokenFile) ? OptionTokenFile
        : context.Environment.GetNonBlank(EnvironmentVariables.WebIdentityTokenFile) is not null ? EnvironmentVariables.WebIdentityTokenFile
        : null;

    public override string? DescribeIgnoredRole(CredentialSourceContext context) =>
        context.Options.WebIdentity?.RoleArn is { Length: > 0 } arn ? "AWS:WebIdentity:RoleArn=" + arn
        : context.Environment.GetNonBlank(EnvironmentVariables.RoleArn) is { } roleArn ? EnvironmentVariables.RoleArn + "=" + roleArn
        : null;

    public override IAwsCredentialSource Create(SourceBuildContext build)
    {
        CredentialSourceContext context = build.Context;
        bool fromEnvironmentOnly = string.IsNullOrWhiteSpace(context.Options.WebIdentity?.WebIdentityTokenFile)
            && context.Environment.GetNonBlank(EnvironmentVariables.WebIdentityTokenFile) is not null;
        return build.ExplicitProfile is not null && fromEnvironmentOnly
            ? build.NotConsulted(Name, EnvironmentVariables.WebIdentityTokenFile)
            : WebIdentitySourceFactory.FromContext(context, build.RegionHint);
    }

    public override void Validate(WorkloadCredentialsOptions options, SettingPath root, ValidateOptionsResultBuilder errors)
    {
        WebIdentityCredentialOptions webIdentity = options.WebIdentity ?? new WebIdentityCredentialOptions();
        SettingPath path = root.Child("WebIdentity");
        if (StsSettingsResolver.Blank(webIdentity.RoleArn) is { } roleArn)
        {
            AddIfError(errors, StsValidation.RoleArn(roleArn, path.Key("RoleArn")));
        }

        if (StsSettingsResolver.Blank(webIdentity.RoleSessionName) is { } session)
        {
            AddIfError(errors, StsValidation.RoleSessionName(session, path.Key("RoleSessionName")));
        }

        if (webIdentity.Duration is { } duration)
        {
            AddIfError(errors, StsValidation.Duration(duration, path.Key("Duration")));
        }
    }

    private static void AddIfError(ValidateOptionsResultBuilder errors, string? error)
    {
        if (error is not null)
        {
            errors.AddError(error);
        }
    }
}
