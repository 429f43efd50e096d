namespace WorkloadCredentials.WebIdentity;

/// <summary>
/// Options of the web identity source (EKS IRSA and any OIDC token written to a file): <c>sts:AssumeRoleWithWebIdentity</c> with the
/// token read from <see cref="WebIdentityTokenFile"/> at every refresh (the kubelet rotates it).
/// </summary>
/// <remarks>Every property left unset falls back to the environment variable its documentation names, as the AWS SDKs do.</remarks>
public sealed class WebIdentityCredentialOptions
{
    /// <summary>Gets or sets the ARN of the role to assume.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>Defaults to the value of environment variable <c>AWS_ROLE_ARN</c>.</remarks>
    public string? RoleArn { get; set; }

    /// <summary>Gets or sets the path of the file holding the web identity token (a JWT). The file is read again at every refresh.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>Defaults to the value of environment variable <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>.</remarks>
    public string? WebIdentityTokenFile { get; set; }

    /// <summary>Gets or sets the role session name, shown in CloudTrail: 2-64 characters of letters, digits and <c>+=,.@_-</c>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>
    /// Defaults to the value of environment variable <c>AWS_ROLE_SESSION_NAME</c>, else a name made of the application's and the
    /// host's names (on Kubernetes the pod's).
    /// </remarks>
    public string? RoleSessionName { get; set; }

    /// <summary>Gets or sets how long the credentials last: between 15 minutes and 12 hours, within the role's maximum session duration.</summary>
    /// <value>The default value is <see langword="null"/>: one hour.</value>
    public TimeSpan? Duration { get; set; }
}
