using System.Diagnostics.CodeAnalysis;

namespace WorkloadCredentials.Container;

/// <summary>Options of the container credentials source: ECS task roles and EKS Pod Identity.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>The endpoint is <see cref="RelativeUri"/> on the ECS agent's host <c>169.254.170.2</c>, or <see cref="FullUri"/>; a relative URI wins when both are set.</description></item>
/// <item><description>Plain <c>http://</c> is allowed only to loopback, <c>169.254.170.2</c> (ECS), <c>169.254.170.23</c> and <c>fd00:ec2::23</c> (EKS Pod Identity); any host over <c>https://</c>.</description></item>
/// <item><description>The <c>Authorization</c> header comes from <see cref="AuthorizationTokenFile"/> (read again at every refresh: the agent rotates it) or <see cref="AuthorizationToken"/>.</description></item>
/// <item><description>Every property left unset falls back to the environment variable its documentation names.</description></item>
/// </list>
/// </remarks>
public sealed class ContainerCredentialOptions
{
    /// <summary>Gets or sets the path (and query) of the credentials on the ECS agent, such as <c>/v2/credentials/...</c>.</summary>
    /// <remarks>Defaults to <c>AWS_CONTAINER_CREDENTIALS_RELATIVE_URI</c>.</remarks>
    [SuppressMessage("Design", "CA1056:URI-like properties should not be strings", Justification = "A path and query resolved against the ECS host, as the AWS variable holds it; System.Uri would read it as a file path on Unix.")]
    public string? RelativeUri { get; set; }

    /// <summary>Gets or sets the full URI of the credentials endpoint, such as <c>http://169.254.170.23/v1/credentials</c> (EKS Pod Identity).</summary>
    /// <remarks>Defaults to <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c>. Ignored when a relative URI is set.</remarks>
    public Uri? FullUri { get; set; }

    /// <summary>Gets or sets the file holding the <c>Authorization</c> header value. It is read again at every refresh.</summary>
    /// <remarks>Defaults to <c>AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE</c>. Wins over <see cref="AuthorizationToken"/>.</remarks>
    public string? AuthorizationTokenFile { get; set; }

    /// <summary>Gets or sets the <c>Authorization</c> header value. It is a secret: prefer <see cref="AuthorizationTokenFile"/>.</summary>
    /// <remarks>Defaults to <c>AWS_CONTAINER_AUTHORIZATION_TOKEN</c>.</remarks>
    public string? AuthorizationToken { get; set; }

    /// <summary>Gets or sets how long one request may take.</summary>
    /// <value>The default value is 5 seconds.</value>
    /// <remarks>Must lie between 10 milliseconds and 1 minute.</remarks>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Gets or sets how many times a failed request (connection error, timeout, 5xx, 429) is retried.</summary>
    /// <value>The default value is 2 (three attempts in all).</value>
    public int? MaxRetryAttempts { get; set; }
}
