using Microsoft.Extensions.Options;

namespace WorkloadCredentials.Internal;

/// <summary>
/// One built-in credential source as the composers see it: its name, its place in the default chain, how it is built from the
/// context (once, owned and disposed by whoever built it), how its options validate, and what kind of credentials it issues. The
/// default chain, the options validator, the profile steps (<c>credential_source</c>), the role-chaining cap and the public factory
/// methods of <see cref="AwsCredentialSources"/> all walk the registered definitions; none knows a source by a string literal.
/// Adding a source is one folder with its definition plus one registration line.
/// </summary>
internal abstract class CredentialSourceDefinition
{
    /// <summary>Gets the source's name, as messages, logs, the chain's record and <see cref="AwsCredentials.SourceName"/> give it.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Gets the place in the default chain: links are tried by ascending order. A definition that <see cref="WrapsChain"/> is applied
    /// after every link, by ascending order too.
    /// </summary>
    public abstract int ChainOrder { get; }

    /// <summary>Gets a value indicating whether the source wraps what the chain resolved (a role from options) rather than being a link.</summary>
    public virtual bool WrapsChain => false;

    /// <summary>
    /// Gets a value indicating whether the default chain has a link of its own for the source. A source that only a shared config
    /// profile reaches (IAM Identity Center: <see cref="CreateForSsoProfile"/>) has none: its place is the profile's.
    /// </summary>
    public virtual bool IsChainLink => true;

    /// <summary>Gets a value indicating whether the source's temporary credentials are a role session (assuming a role with them is role chaining).</summary>
    public virtual bool IssuesRoleCredentials => false;

    /// <summary>Gets a value indicating whether the source hands out long-lived keys (a keys source that wins over role settings gets a warning).</summary>
    public virtual bool IssuesLongTermKeys => false;

    /// <summary>Gets the <c>credential_source</c> value of a shared config profile that delegates to this source, or <see langword="null"/>.</summary>
    public virtual string? ProfileCredentialSource => null;

    /// <summary>Gets a value indicating whether the options leave the source out of the default chain (the <c>Exclude…</c> options).</summary>
    /// <param name="options">The options.</param>
    public virtual bool IsExcluded(WorkloadCredentialsOptions options) => false;

    /// <summary>
    /// Gets a value indicating whether the source, when configured by the environment, comes before a shared config profile that holds
    /// no role (only keys or a <c>credential_process</c>), as the AWS SDKs take IRSA over an image's baked keys.
    /// </summary>
    public virtual bool OutranksProfileWithoutRole => false;

    /// <summary>Names the setting that configures the source (for precedence messages), or <see langword="null"/> when nothing does.</summary>
    /// <param name="context">The options and environment.</param>
    public virtual string? ConfiguredBy(CredentialSourceContext context) => null;

    /// <summary>Describes role settings of this source that a winning keys source makes the chain ignore, or <see langword="null"/>.</summary>
    /// <param name="context">The options and environment.</param>
    public virtual string? DescribeIgnoredRole(CredentialSourceContext context) => null;

    /// <summary>
    /// Builds the source. Never throws for configuration problems: a source that is not configured throws
    /// <see cref="CredentialUnavailableException"/> when asked, one configured wrongly throws a non-recoverable
    /// <see cref="AwsCredentialException"/> naming the setting. A definition that <see cref="WrapsChain"/> wraps
    /// <see cref="SourceBuildContext.Inner"/>, and returns it unchanged when it is not configured.
    /// </summary>
    /// <param name="build">What the source is built from.</param>
    /// <returns>The source; its creator owns and disposes it.</returns>
    public abstract IAwsCredentialSource Create(SourceBuildContext build);

    /// <summary>
    /// Builds the source for a shared config profile's IAM Identity Center (SSO) settings, or returns <see langword="null"/> when this
    /// definition does not serve them. The caller owns the source.
    /// </summary>
    /// <param name="build">What the source is built from.</param>
    /// <param name="request">The profile's SSO settings.</param>
    public virtual IAwsCredentialSource? CreateForSsoProfile(SourceBuildContext build, SsoProfileRequest request) => null;

    /// <summary>Adds an error for each invalid option of this source, naming each setting under <paramref name="root"/>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="root">Where the options came from: a configuration section, or code.</param>
    /// <param name="errors">Collects the errors.</param>
    public virtual void Validate(WorkloadCredentialsOptions options, SettingPath root, ValidateOptionsResultBuilder errors)
    {
    }

    public override string ToString() => Name;
}
