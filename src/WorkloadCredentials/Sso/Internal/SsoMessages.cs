using System.Globalization;
using System.Net;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Sso.Internal;

/// <summary>
/// The SSO source's errors: each names the profile, the session or start URL, what went wrong and the command that fixes it. Never a
/// token, a refresh token or a client secret, and no text from an answer (which could echo one): only status codes and error codes.
/// </summary>
internal static class SsoMessages
{
    /// <summary>The session (<c>sso-session 'dev'</c>) or, in the legacy form, the start URL.</summary>
    public static string Subject(SsoProfileRequest request) =>
        request.SessionName is { } session ? $"sso-session '{SafeText.Escape(session, 64)}'" : $"start URL {SafeText.Escape(request.StartUrl, 200)}";

    /// <summary>The command that signs in again.</summary>
    public static string Login(SsoProfileRequest request) =>
        request.SessionName is { } session
            ? $"aws sso login --sso-session {SafeText.Escape(session, 64)}"
            : $"aws sso login --profile {SafeText.Escape(request.ProfileName, 64)}";

    public static AwsCredentialException NoHome(SsoProfileRequest request) => Fail(
        request,
        $"no home directory is known (HOME is not set), so the token cache of {Subject(request)} (~/.aws/sso/cache) cannot be found. Set HOME and run `{Login(request)}`.");

    public static AwsCredentialException TokenAccessToken(SsoProfileRequest request) => Fail(
        request,
        $"the IAM Identity Center settings ({Subject(request)}) have no sso_account_id and sso_role_name: the selected profile will resolve an access token instead of credentials, and only services called with a bearer token accept that. Add sso_account_id and sso_role_name to profile '{SafeText.Escape(request.ProfileName, 64)}'.");

    public static AwsCredentialException MissingFile(SsoProfileRequest request, string path) => Fail(
        request,
        $"no cached token of {Subject(request)}: {path} does not exist. Run `{Login(request)}` to sign in.");

    public static AwsCredentialException Unreadable(SsoProfileRequest request, string path, string problem) => Fail(
        request,
        $"the token cache file {path} of {Subject(request)} {problem}. Run `{Login(request)}` to write it again.");

    public static AwsCredentialException Corrupted(SsoProfileRequest request, string path, string problem) => Fail(
        request,
        $"the token cache file {path} of {Subject(request)} is corrupted: {problem}. Run `{Login(request)}` to write it again.");

    public static AwsCredentialException Expired(SsoProfileRequest request, DateTimeOffset expiresAt, string why) => Fail(
        request,
        $"the token of {Subject(request)} expired at {SsoTokenCacheFile.FormatDate(expiresAt)} and cannot be refreshed: {why}. Run `{Login(request)}` to sign in again.");

    public static AwsCredentialException RefreshRejected(SsoProfileRequest request, DateTimeOffset expiresAt, string endpoint, string reason, Exception inner) => Fail(
        request,
        $"the token of {Subject(request)} expired at {SsoTokenCacheFile.FormatDate(expiresAt)} and SSO OIDC at {endpoint} rejected its refresh ({reason}). Run `{Login(request)}` to sign in again.",
        inner);

    public static AwsCredentialException PortalRefused(SsoProfileRequest request, string endpoint, HttpStatusCode status, string? code, Exception inner)
    {
        string answer = Answer(status, code);
        string text = status switch
        {
            HttpStatusCode.Unauthorized =>
                $"the IAM Identity Center portal at {endpoint} refused the token of {Subject(request)} ({answer}): the sign-in has expired or was revoked. Run `{Login(request)}` to sign in again.",
            _ =>
                $"the IAM Identity Center portal at {endpoint} refused role '{SafeText.Escape(request.RoleName, 64)}' in account {SafeText.Escape(request.AccountId, 32)} ({answer}): the signed-in user has no assignment of that permission set in that account. Check sso_account_id and sso_role_name of profile '{SafeText.Escape(request.ProfileName, 64)}'{request.Location}, or ask an administrator to assign the permission set (`aws sso list-account-roles` lists yours).",
        };
        return Fail(request, text, inner);
    }

    public static AwsCredentialException PortalFailed(SsoProfileRequest request, string endpoint, string reason, Exception inner) =>
        new(
            $"Sso: an error occurred while loading credentials for role '{SafeText.Escape(request.RoleName, 64)}' in account {SafeText.Escape(request.AccountId, 32)} from the IAM Identity Center portal at {endpoint} ({reason}). It is retried; if it persists, check the endpoint and the service health.",
            SsoConstants.SourceName,
            isRecoverable: true,
            inner);

    public static AwsCredentialException PortalAnswer(SsoProfileRequest request, string endpoint, string problem) =>
        new(
            $"Sso: the IAM Identity Center portal at {endpoint} answered GetRoleCredentials for role '{SafeText.Escape(request.RoleName, 64)}' in account {SafeText.Escape(request.AccountId, 32)} with {problem}. It is retried; if it persists, check the endpoint.",
            SsoConstants.SourceName,
            isRecoverable: true);

    public static string Answer(HttpStatusCode status, string? code) =>
        string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)status}{(string.IsNullOrEmpty(code) ? string.Empty : " " + SafeText.Escape(code, 64))}");

    private static AwsCredentialException Fail(SsoProfileRequest request, string text, Exception? inner = null) =>
        new("Sso: " + text, SsoConstants.SourceName, isRecoverable: false, inner);
}
