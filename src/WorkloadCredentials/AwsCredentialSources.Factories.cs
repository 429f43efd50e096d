using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkloadCredentials.AssumeRole.Internal;
using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Container.Internal;
using WorkloadCredentials.EnvironmentKeys.Internal;
using WorkloadCredentials.InstanceMetadata.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.StaticKeys.Internal;
using WorkloadCredentials.WebIdentity.Internal;

namespace WorkloadCredentials;

/// <summary>The built-in sources one by one, to compose in any order or subset with <see cref="Chain"/>, <see cref="AssumeRole"/> and <see cref="Cache"/>.</summary>
/// <remarks>
/// Each factory reads only its own settings of the options (and <see cref="WorkloadCredentialsOptions.Region"/> and
/// <see cref="WorkloadCredentialsOptions.Sts"/> for the STS sources), validates them, and falls back to the environment as the default
/// chain does. None applies the default chain's precedence rules: the order you compose is the order that runs. The sources are not
/// cached; put the result behind <see cref="Cache"/>, which owns it and disposes it with itself.
/// </remarks>
public static partial class AwsCredentialSources
{
    /// <summary>Creates the environment keys source: <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>.</summary>
    /// <returns>The source.</returns>
    public static IAwsCredentialSource Environment() =>
        Create(EnvironmentSourceDefinition.Instance, new CredentialSourceContext(new WorkloadCredentialsOptions(), ProcessEnvironment.Instance));

    /// <summary>Creates a source of explicit keys.</summary>
    /// <param name="accessKeyId">The access key id.</param>
    /// <param name="secretAccessKey">The secret access key.</param>
    /// <param name="sessionToken">The session token of temporary keys, or <see langword="null"/>.</param>
    /// <returns>The source.</returns>
    /// <exception cref="OptionsValidationException">A key is missing; the message names it, never a value.</exception>
    public static IAwsCredentialSource StaticKeys(string accessKeyId, string secretAccessKey, string? sessionToken = null)
    {
        if (string.IsNullOrWhiteSpace(accessKeyId) && string.IsNullOrWhiteSpace(secretAccessKey))
        {
            throw new OptionsValidationException(
                Options.DefaultName, typeof(WorkloadCredentialsOptions), ["StaticKeys.AccessKeyId and StaticKeys.SecretAccessKey are required."]);
        }

        var options = new WorkloadCredentialsOptions();
        options.StaticKeys.AccessKeyId = accessKeyId;
        options.StaticKeys.SecretAccessKey = secretAccessKey;
        options.StaticKeys.SessionToken = sessionToken;
        return Create(StaticKeysSourceDefinition.Instance, new CredentialSourceContext(options, ProcessEnvironment.Instance));
    }

    /// <summary>Creates the source of a shared config profile: its keys, <c>credential_process</c>, role chain or web identity.</summary>
    /// <param name="profileName">The profile; <c>AWS_PROFILE</c>, then <c>default</c>, when <see langword="null"/>.</param>
    /// <param name="configure">Configures the options (region, STS, instance metadata for <c>credential_source</c>).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="loggerFactory">The logger factory; no logging by default.</param>
    /// <returns>The source.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names each wrong option.</exception>
    public static IAwsCredentialSource Profile(
        string? profileName = null, Action<WorkloadCredentialsOptions>? configure = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null) =>
        Create(ProfileSourceDefinition.Instance, Context(options => { configure?.Invoke(options); options.Profile = profileName ?? options.Profile; }, timeProvider, loggerFactory));

    /// <summary>Creates the web identity (EKS IRSA) source: <see cref="WorkloadCredentialsOptions.WebIdentity"/>, else <c>AWS_ROLE_ARN</c> and <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>.</summary>
    /// <inheritdoc cref="Profile" path="/param[@name='configure'] | /param[@name='timeProvider'] | /param[@name='loggerFactory'] | /returns | /exception"/>
    public static IAwsCredentialSource WebIdentity(
        Action<WorkloadCredentialsOptions>? configure = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null) =>
        Create(WebIdentitySourceDefinition.Instance, Context(configure, timeProvider, loggerFactory));

    /// <summary>Creates the container credentials source (ECS task role, EKS Pod Identity): <see cref="WorkloadCredentialsOptions.Container"/>, else <c>AWS_CONTAINER_CREDENTIALS_*</c>.</summary>
    /// <inheritdoc cref="Profile" path="/param[@name='configure'] | /param[@name='timeProvider'] | /param[@name='loggerFactory'] | /returns | /exception"/>
    public static IAwsCredentialSource Container(
        Action<WorkloadCredentialsOptions>? configure = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null) =>
        Create(ContainerSourceDefinition.Instance, Context(configure, timeProvider, loggerFactory));

    /// <summary>Creates the EC2 instance metadata (IMDS) source: the instance profile, also behind kube2iam/kiam.</summary>
    /// <inheritdoc cref="Profile" path="/param[@name='configure'] | /param[@name='timeProvider'] | /param[@name='loggerFactory'] | /returns | /exception"/>
    public static IAwsCredentialSource InstanceMetadata(
        Action<WorkloadCredentialsOptions>? configure = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null) =>
        Create(InstanceMetadataSourceDefinition.Instance, Context(configure, timeProvider, loggerFactory));

    /// <summary>
    /// Creates a source that assumes the role of <see cref="WorkloadCredentialsOptions.AssumeRole"/> (with its External ID, session name,
    /// duration, policy, tags) signed with the credentials of <paramref name="source"/>. The result owns <paramref name="source"/>, unless
    /// it is already a cache (an <see cref="ICachedAwsCredentialSource"/>, such as the one dependency injection shares): that stays yours.
    /// </summary>
    /// <param name="source">The credentials to sign <c>sts:AssumeRole</c> with: any source, such as <see cref="InstanceMetadata"/>.</param>
    /// <param name="configure">Configures the options; <see cref="AssumeRole.AssumeRoleCredentialOptions.RoleArn"/> is required.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="loggerFactory">The logger factory; no logging by default.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="OptionsValidationException">No role ARN is configured, or another option is invalid; the message names each.</exception>
    public static IAwsCredentialSource AssumeRole(
        IAwsCredentialSource source, Action<WorkloadCredentialsOptions> configure, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        Throw.IfNull(source);
        Throw.IfNull(configure);
        CredentialSourceContext context = Context(configure, timeProvider, loggerFactory);
        if (!AssumeRoleChainWrapper.IsConfigured(context.Options))
        {
            throw new OptionsValidationException(
                Options.DefaultName, typeof(WorkloadCredentialsOptions), ["AssumeRole.RoleArn is required: it names the role to assume."]);
        }

        return Create(AssumeRoleSourceDefinition.Instance, context, source);
    }

    /// <summary>Validates the options for one definition, then builds its source (with no precedence rule of the default chain).</summary>
    internal static IAwsCredentialSource Create(CredentialSourceDefinition definition, CredentialSourceContext context, IAwsCredentialSource? inner = null)
    {
        WorkloadCredentialsOptionsCustomValidator.ThrowIfInvalid(context.Options, [definition]);
        return definition.Create(SourceDefinitions.CreateBuildContext(context).With(inner: inner));
    }

    private static CredentialSourceContext Context(Action<WorkloadCredentialsOptions>? configure, TimeProvider? timeProvider, ILoggerFactory? loggerFactory)
    {
        var options = new WorkloadCredentialsOptions();
        configure?.Invoke(options);
        return new CredentialSourceContext(options, ProcessEnvironment.Instance, timeProvider, loggerFactory);
    }
}
