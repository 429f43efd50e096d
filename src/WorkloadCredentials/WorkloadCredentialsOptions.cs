using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using WorkloadCredentials.AssumeRole;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Container;
using WorkloadCredentials.InstanceMetadata;
using WorkloadCredentials.StaticKeys;
using WorkloadCredentials.Sts;
using WorkloadCredentials.WebIdentity;

namespace WorkloadCredentials;

/// <summary>
/// Options of the default credential chain: explicit keys, environment keys, shared profile, web identity, container,
/// instance metadata, and an optional role assumed on top of whatever the chain resolves.
/// </summary>
/// <remarks>
/// Bound from the <c>"AWS"</c> configuration section by <c>AddWorkloadCredentials(IConfiguration)</c>. Every property that is
/// left unset falls back to the environment variable its documentation names, as the AWS SDKs do.
/// </remarks>
public sealed class WorkloadCredentialsOptions
{
    /// <summary>The configuration section name the options bind from by default.</summary>
    public const string DefaultSectionName = "AWS";

    /// <summary>Gets or sets the AWS region used for STS calls.</summary>
    /// <remarks>Defaults to <c>AWS_REGION</c>, then <c>AWS_DEFAULT_REGION</c>, then the profile's <c>region</c>, then the EC2 instance's region.</remarks>
    public string? Region { get; set; }

    /// <summary>Gets or sets the shared config profile to use.</summary>
    /// <remarks>Defaults to <c>AWS_PROFILE</c>, then <c>default</c>. A profile named here must exist.</remarks>
    public string? Profile { get; set; }

    /// <summary>Gets or sets explicit keys. When set they win over every other source.</summary>
    [ValidateObjectMembers]
    public StaticKeysCredentialOptions StaticKeys { get; set; } = new();

    /// <summary>Gets or sets a role to assume on top of whatever the chain resolves (for example a customer role with an External ID).</summary>
    [ValidateObjectMembers]
    public AssumeRoleCredentialOptions AssumeRole { get; set; } = new();

    /// <summary>Gets or sets the web identity (EKS IRSA) source options.</summary>
    [ValidateObjectMembers]
    public WebIdentityCredentialOptions WebIdentity { get; set; } = new();

    /// <summary>Gets or sets the container credentials (ECS task role, EKS Pod Identity) source options.</summary>
    [ValidateObjectMembers]
    public ContainerCredentialOptions Container { get; set; } = new();

    /// <summary>Gets or sets the EC2 instance metadata (IMDS) source options.</summary>
    [ValidateObjectMembers]
    public ImdsCredentialOptions InstanceMetadata { get; set; } = new();

    /// <summary>Gets or sets the options of the STS client shared by the web identity and assume-role sources.</summary>
    [ValidateObjectMembers]
    public StsOptions Sts { get; set; } = new();

    /// <summary>Gets or sets the refresh cache options.</summary>
    [ValidateObjectMembers]
    public CredentialCacheOptions Cache { get; set; } = new();

    /// <summary>
    /// Gets custom sources, tried in order before the built-in ones. A custom source throws
    /// <see cref="CredentialUnavailableException"/> to let the chain move on. They stay the application's: options outlive the chains
    /// built from them, so no chain disposes them.
    /// </summary>
    public IList<IAwsCredentialSource> CustomSources { get; } = new List<IAwsCredentialSource>();

    /// <summary>Gets or sets a value indicating whether the default chain leaves out environment keys (<c>AWS_ACCESS_KEY_ID</c> and the like).</summary>
    /// <remarks>Configuration key <c>AWS:ExcludeEnvironment</c>. A profile's <c>credential_source = Environment</c> still reads them.</remarks>
    public bool ExcludeEnvironment { get; set; }

    /// <summary>Gets or sets a value indicating whether the default chain leaves out the shared config profile.</summary>
    /// <remarks>Configuration key <c>AWS:ExcludeProfile</c>. Contradicts <see cref="Profile"/>: setting both fails validation.</remarks>
    public bool ExcludeProfile { get; set; }

    /// <summary>Gets or sets a value indicating whether the default chain leaves out web identity (EKS IRSA).</summary>
    /// <remarks>Configuration key <c>AWS:ExcludeWebIdentity</c>. A profile's <c>web_identity_token_file</c> still works.</remarks>
    public bool ExcludeWebIdentity { get; set; }

    /// <summary>Gets or sets a value indicating whether the default chain leaves out container credentials (ECS, EKS Pod Identity).</summary>
    /// <remarks>Configuration key <c>AWS:ExcludeContainer</c>. A profile's <c>credential_source = EcsContainer</c> still uses them.</remarks>
    public bool ExcludeContainer { get; set; }

    /// <summary>Gets or sets a value indicating whether the default chain leaves out EC2 instance metadata (IMDS).</summary>
    /// <remarks>
    /// Configuration key <c>AWS:ExcludeInstanceMetadata</c>. Unlike <see cref="ImdsCredentialOptions.Disabled"/>, a profile's
    /// <c>credential_source = Ec2InstanceMetadata</c> still uses it; STS no longer asks it for the instance's region.
    /// </remarks>
    public bool ExcludeInstanceMetadata { get; set; }
}
