using System.Globalization;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>
/// Turns a failed STS call into the exception a caller sees: the source, the role, what STS said, and the likely fix.
/// Non-recoverable errors (AccessDenied, InvalidIdentityToken, ...) are flagged so that a cache reports them at once.
/// </summary>
internal static class StsFailureMessages
{
    public static AwsCredentialException ToException(StsFailure failure, StsCallContext context, params string?[] secrets)
    {
        string prefix = $"{context.SourceName}: sts:{context.Operation} for role {context.RoleArn} failed";
        string said = Said(failure, secrets);
        bool isWebIdentity = context.TokenFile is not null;
        string message = failure.Kind switch
        {
            StsFailureKind.Throttled => string.Create(CultureInfo.InvariantCulture,
                $"{prefix}: STS throttled all {failure.Attempts} attempt(s){said}. A cache keeps serving its current credentials and tries again later; if this persists, fewer processes should assume this role at once."),
            StsFailureKind.ServerError => string.Create(CultureInfo.InvariantCulture,
                $"{prefix}: STS at {failure.Endpoint.Url.Host} failed all {failure.Attempts} attempt(s){said}. This is on the STS side; a later refresh retries."),
            StsFailureKind.Timeout => string.Create(CultureInfo.InvariantCulture,
                $"{prefix}: STS at {failure.Endpoint.Url.GetLeftPart(UriPartial.Authority)} did not answer in time ({failure.Attempts} attempt(s), {context.Settings.AttemptTimeout.TotalSeconds:0.###} s each, {context.Settings.TotalTimeout.TotalSeconds:0.###} s in all). Check network access to the endpoint (proxy, VPC endpoint, security groups) or raise AWS:Sts:AttemptTimeout."),
            StsFailureKind.Connection => string.Create(CultureInfo.InvariantCulture,
                $"{prefix}: could not reach STS at {failure.Endpoint.Url.GetLeftPart(UriPartial.Authority)} ({failure.Attempts} attempt(s)): {Scrub(Innermost(failure.Exception).Message, secrets)} Check network access to the endpoint and the endpoint setting ({failure.Endpoint.Origin})."),
            StsFailureKind.MalformedResponse => string.Create(CultureInfo.InvariantCulture,
                $"{prefix}: STS at {failure.Endpoint.Url.GetLeftPart(UriPartial.Authority)} answered with something that is not an STS response{(failure.Detail is { } detail ? ": " + detail : string.Empty)}{StatusSuffix(failure)}. Check that the endpoint ({failure.Endpoint.Origin}) is an STS endpoint and that no proxy rewrites its answers."),
            StsFailureKind.Redirected => Redirected(failure, prefix, isWebIdentity),
            _ => ServiceError(failure, context, prefix, said, isWebIdentity),
        };

        // The SDK's exception may carry the raw answer, which can echo the request's secrets: only a cleaned copy is attached.
        bool recoverable = !StsErrorClassifier.IsNonRecoverable(failure.ErrorCode);
        return new AwsCredentialException(message, context.SourceName, recoverable, StsCallFailureException.From(failure.Exception, secrets));
    }

    private static string Redirected(StsFailure failure, string prefix, bool isWebIdentity)
    {
        StsRedirectException? redirect = StsErrorClassifier.Find<StsRedirectException>(failure.Exception);
        string carries = isWebIdentity ? "the web identity token" : "signed credentials";
        return string.Create(CultureInfo.InvariantCulture,
            $"{prefix}: STS at {failure.Endpoint.Url.GetLeftPart(UriPartial.Authority)} answered HTTP {redirect?.StatusCode ?? failure.StatusCode} with a redirect to host {redirect?.TargetHost ?? "(unknown)"}; redirects are never followed, because the request carries {carries}. Point AWS_ENDPOINT_URL_STS or AWS:Sts:EndpointUrl at the real STS endpoint (this one came from {failure.Endpoint.Origin}).");
    }

    private static string ServiceError(StsFailure failure, StsCallContext context, string prefix, string said, bool isWebIdentity)
    {
        string code = failure.ErrorCode ?? "unknown";
        return code switch
        {
            "AccessDenied" or "AccessDeniedException" when isWebIdentity =>
                $"{prefix}: STS denied it{said}. Check the role's trust policy: it must allow sts:AssumeRoleWithWebIdentity for the OIDC provider that issued the token, with conditions that match the token's audience (aud, usually sts.amazonaws.com) and subject (sub, system:serviceaccount:<namespace>:<service-account>).",
            "AccessDenied" or "AccessDeniedException" =>
                $"{prefix}: STS denied it{said}. Check that the role's trust policy lets the source identity call sts:AssumeRole, that the source identity's own policy allows sts:AssumeRole on this role, and that the External ID matches the one the role's trust policy requires ({(context.HasExternalId ? "an External ID is configured" : "no External ID is configured")}).",
            "InvalidIdentityToken" or "InvalidIdentityTokenException" =>
                $"{prefix}: STS rejected the web identity token read from {context.TokenFile}{said}. Check that the role's account has an IAM OIDC identity provider for the token's issuer and that its audiences include the token's audience.",
            "IDPRejectedClaim" or "IDPRejectedClaimException" =>
                $"{prefix}: the identity provider rejected the token's claims{said}. Check the trust policy's conditions on the token's audience (aud) and subject (sub).",
            "MalformedPolicyDocument" or "MalformedPolicyDocumentException" =>
                $"{prefix}: STS rejected the session policy{said}. Fix the session policy (AWS:AssumeRole:Policy).",
            "PackedPolicyTooLarge" or "PackedPolicyTooLargeException" =>
                $"{prefix}: the session policy and session tags are too large once packed{said}. Shorten the session policy or drop session tags.",
            "RegionDisabledException" =>
                $"{prefix}: STS is not activated in region {failure.Endpoint.SigningRegion} for the role's account{said}. Activate the region in IAM (Account settings) or use another region (AWS_REGION or AWS:Region).",
            "ValidationError" or "InvalidParameterValue" or "InvalidParameterCombination" or "MissingParameter" =>
                $"{prefix}: STS refused the request parameters{said}. Check the role ARN, the session name and the duration.",
            "ExpiredTokenException" or "ExpiredToken" when isWebIdentity =>
                $"{prefix}: the web identity token in {context.TokenFile} has expired{said} and the file holds no newer token. Check that whatever writes the file (the kubelet for EKS) still rotates it.",
            "ExpiredTokenException" or "ExpiredToken" =>
                $"{prefix}: the source credentials {Redact(context.SourceAccessKeyId)} have expired{said}. A later refresh asks the source for new ones.",
            "InvalidClientTokenId" or "SignatureDoesNotMatch" or "UnrecognizedClientException" =>
                $"{prefix}: STS does not accept the source credentials {Redact(context.SourceAccessKeyId)}{said}. Check the keys or the source that provides them.",
            _ => $"{prefix}: STS answered{said}.",
        };
    }

    private static string Said(StsFailure failure, string?[] secrets)
    {
        string code = failure.ErrorCode is { } errorCode ? Scrub(errorCode, secrets)
            : failure.StatusCode is { } status ? string.Create(CultureInfo.InvariantCulture, $"HTTP {status}") : failure.Kind.ToString();
        string? text = string.IsNullOrWhiteSpace(failure.ServiceMessage) || failure.ErrorCode is null ? null : Scrub(failure.ServiceMessage.Trim(), secrets);
        return text is null ? $" ({code})" : $" ({code}: {text})";
    }

    private static string StatusSuffix(StsFailure failure) =>
        failure.StatusCode is { } status ? string.Create(CultureInfo.InvariantCulture, $" (HTTP {status}, {failure.Attempts} attempt(s))") : string.Create(CultureInfo.InvariantCulture, $" ({failure.Attempts} attempt(s))");

    private static string Redact(string? accessKeyId) => accessKeyId is null ? "(unknown)" : AwsCredentials.RedactAccessKeyId(accessKeyId);

    private static Exception Innermost(Exception exception)
    {
        Exception current = exception;
        while (current.InnerException is not null)
        {
            current = current.InnerException;
        }

        return current;
    }

    /// <summary>Masks any secret, or fragment of one, that a server (or a proxy) might echo back, and escapes control characters.</summary>
    private static string Scrub(string text, string?[] secrets) => StsCallFailureException.Clean(text, secrets);
}
