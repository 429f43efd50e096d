using Amazon.Runtime;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Internal.Telemetry;
using WorkloadCredentials.Sts;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.WebIdentity.Internal;

/// <summary>Builds web identity sources: from the options and the environment (the default chain), or from plain parameters (profiles).</summary>
internal static class WebIdentitySourceFactory
{
    private const string OptionRoleArn = "AWS:WebIdentity:RoleArn";
    private const string OptionTokenFile = "AWS:WebIdentity:WebIdentityTokenFile";
    private const string OptionRoleSessionName = "AWS:WebIdentity:RoleSessionName";
    private const string OptionDuration = "AWS:WebIdentity:Duration";

    /// <summary>
    /// Builds the default chain's web identity source from <see cref="WorkloadCredentialsOptions.WebIdentity"/> and <c>AWS_ROLE_ARN</c>,
    /// <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>, <c>AWS_ROLE_SESSION_NAME</c>. Never throws: when it is not configured the source throws
    /// <see cref="CredentialUnavailableException"/> (the chain moves on); when it is configured wrongly it throws a non-recoverable
    /// <see cref="AwsCredentialException"/> naming the setting.
    /// </summary>
    public static IAwsCredentialSource FromContext(CredentialSourceContext context, IRegionHint? regionHint = null)
    {
        string source = StsConstants.WebIdentitySourceName;
        WebIdentityCredentialOptions options = context.Options.WebIdentity ?? new WebIdentityCredentialOptions();
        (string? tokenFile, string tokenFileSetting) = OptionOrEnvironment(options.WebIdentityTokenFile, OptionTokenFile, context.Environment, StsConstants.EnvWebIdentityTokenFile);
        (string? roleArn, string roleArnSetting) = OptionOrEnvironment(options.RoleArn, OptionRoleArn, context.Environment, StsConstants.EnvRoleArn);

        if (tokenFile is null)
        {
            return FailedCredentialSource.Unavailable(
                roleArn is null
                    ? $"{source}: {StsConstants.EnvWebIdentityTokenFile} is not set."
                    : $"{source}: {StsConstants.EnvWebIdentityTokenFile} is not set ({roleArnSetting} is set, but web identity needs both).",
                source);
        }

        if (roleArn is null)
        {
            return FailedCredentialSource.Misconfigured(StsSettingsResolver.Invalid(
                source,
                $"{tokenFileSetting} is set but {StsConstants.EnvRoleArn} is not; set {StsConstants.EnvRoleArn} (or {OptionRoleArn}) to the role to assume."));
        }

        (string? sessionName, string sessionNameSetting) = OptionOrEnvironment(options.RoleSessionName, OptionRoleSessionName, context.Environment, StsConstants.EnvRoleSessionName);
        try
        {
            WebIdentitySettings settings = WebIdentitySettings.Create(
                roleArn, tokenFile, sessionName, options.Duration, roleArnSetting, tokenFileSetting, sessionNameSetting, OptionDuration, source);
            StsClientSettings sts = StsSettingsResolver.Resolve(context.Options, context.Environment, allowAnyHttpHost: context.AllowPlainHttpToAnyHost, source);
            return Create(context, settings, sts, regionHint);
        }
        catch (AwsCredentialException ex)
        {
            return FailedCredentialSource.Misconfigured(ex);
        }
    }

    /// <summary>Builds a web identity source from validated settings (see <see cref="WebIdentitySettings.Create"/>) and STS settings.</summary>
    public static WebIdentityCredentialSource Create(CredentialSourceContext context, WebIdentitySettings settings, StsClientSettings sts, IRegionHint? regionHint = null)
    {
        CredentialTelemetry telemetry = context.CreateTelemetry(typeof(WebIdentityCredentialSource).FullName!);
        var clients = new StsClientProvider(sts, regionHint, new AnonymousAWSCredentials(), context.HttpHandler, context.TimeProvider, telemetry, settings.SourceName, context.ConnectCallback, context.Random);
        return new WebIdentityCredentialSource(settings, clients, telemetry) { BuiltFrom = context };
    }

    private static (string? Value, string Setting) OptionOrEnvironment(string? option, string optionName, IEnvironment environment, string variable) =>
        StsSettingsResolver.Blank(option) is { } fromOptions ? (fromOptions, optionName)
        : environment.GetNonBlank(variable) is { } fromEnvironment ? (fromEnvironment, variable)
        : (null, variable);
}
