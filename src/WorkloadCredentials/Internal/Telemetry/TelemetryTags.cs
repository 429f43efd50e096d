namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>
/// The tag (attribute) names and values of the library's metrics and spans. Tags carry names, outcomes, counts, hosts and role
/// ARNs: never a secret, a token, an External ID or an access key id.
/// </summary>
internal static class TelemetryTags
{
    /// <summary>The credential source's name (<c>Environment</c>, <c>WebIdentity</c>, <c>AssumeRole</c>, ...).</summary>
    public const string Source = "workload_credentials.source";

    /// <summary>What started a refresh: <see cref="Background"/> or <see cref="Caller"/>.</summary>
    public const string Trigger = "workload_credentials.trigger";

    /// <summary><see cref="Success"/> or <see cref="Failure"/>; on a chain's source span also <see cref="Unavailable"/>.</summary>
    public const string Outcome = "workload_credentials.outcome";

    /// <summary>The cache phase a refresh started in (Advisory, Mandatory, Expired, ...).</summary>
    public const string Phase = "workload_credentials.phase";

    /// <summary>Whether cached credentials served after a failed refresh had expired.</summary>
    public const string Expired = "workload_credentials.expired";

    /// <summary>The service a call went to: <see cref="Sts"/>, <see cref="Imds"/> or <see cref="Container"/>.</summary>
    public const string Service = "workload_credentials.service";

    /// <summary>The operation of a service call (<c>AssumeRole</c>, <c>GetToken</c>, ...).</summary>
    public const string Operation = "workload_credentials.operation";

    /// <summary>The attempts a service call took (1 without retry).</summary>
    public const string Attempts = "workload_credentials.attempts";

    /// <summary>The role an STS call asked for.</summary>
    public const string RoleArn = "workload_credentials.role_arn";

    /// <summary>The OpenTelemetry <c>error.type</c>: an exception type, a failure kind or an HTTP status code.</summary>
    public const string ErrorType = "error.type";

    /// <summary>The OpenTelemetry <c>server.address</c>: the host a call went to.</summary>
    public const string ServerAddress = "server.address";

    /// <summary>The OpenTelemetry <c>http.response.status_code</c>.</summary>
    public const string HttpStatusCode = "http.response.status_code";

    public const string Background = "background";
    public const string Caller = "caller";
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Unavailable = "unavailable";
    public const string Sts = "sts";
    public const string Imds = "imds";
    public const string Container = "container";
    public const string Sso = "sso";
    public const string SsoOidc = "sso_oidc";

    /// <summary>The span of one refresh by a cache.</summary>
    public const string RefreshSpan = "workload_credentials.refresh";

    /// <summary>The span of one source tried by a chain.</summary>
    public const string SourceSpan = "workload_credentials.source";
}
