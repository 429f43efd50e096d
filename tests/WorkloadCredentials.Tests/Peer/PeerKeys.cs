using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WorkloadCredentials.Tests.Peer;

/// <summary>Credentials as both peers report them: access key, secret and session token (none for long-term keys).</summary>
internal sealed record PeerCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken)
{
    /// <summary>Never the secret or the token: these are fakes, but the rule for logs holds for tests too.</summary>
    public override string ToString() => $"{AccessKeyId} (token: {(SessionToken is null ? "none" : "yes")})";
}

/// <summary>
/// The fake's deterministic issuing rule: every credential it hands out is a hash of the request parameters that must match
/// between botocore and this library (the STS action, role, External ID, a configured session name, the caller's access key
/// and session token, the web identity token, the duration; the IMDS role; the container Authorization header). Equal keys
/// therefore mean the same path: a peer that skipped the External ID, signed with another caller or read another token file
/// gets other keys.
/// </summary>
internal static class PeerKeys
{
    /// <summary>Session names a test configures start with this; generated ones (each SDK has its own format) are not compared.</summary>
    public const string ConfiguredSessionNamePrefix = "peer-session-";

    /// <summary>
    /// What STS grants when a request names no duration (both actions): an absent <c>DurationSeconds</c> and an explicit 3600 are the
    /// same request, so they issue the same keys (botocore omits it; the library sends 3600).
    /// </summary>
    public const int DefaultDurationSeconds = 3600;

    public static PeerCredentials Imds(string role) => Derive("imds", role);

    public static PeerCredentials Container(string? authorization) => Derive("container", authorization ?? string.Empty);

    /// <summary>What the fake portal's GetRoleCredentials issues: account, role and the bearer token read from the SSO token cache.</summary>
    public static PeerCredentials Sso(string accountId, string roleName, string accessToken) => Derive("sso", accountId, roleName, accessToken);

    public static PeerCredentials AssumeRole(string roleArn, PeerCredentials caller, string? externalId = null, string? sessionName = null, int? durationSeconds = null) =>
        Sts("AssumeRole", roleArn, externalId, sessionName, caller.AccessKeyId, caller.SessionToken, webIdentityToken: null, durationSeconds);

    public static PeerCredentials WebIdentity(string roleArn, string token, string? sessionName = null, int? durationSeconds = null) =>
        Sts("AssumeRoleWithWebIdentity", roleArn, externalId: null, sessionName, callerAccessKeyId: null, callerSessionToken: null, token, durationSeconds);

    /// <summary>What the fake STS issues for one request; the same rule as the expectations above.</summary>
    public static PeerCredentials Sts(
        string action,
        string roleArn,
        string? externalId,
        string? sessionName,
        string? callerAccessKeyId,
        string? callerSessionToken,
        string? webIdentityToken,
        int? durationSeconds) => Derive(
            action,
            roleArn,
            externalId ?? string.Empty,
            sessionName is not null && sessionName.StartsWith(ConfiguredSessionNamePrefix, StringComparison.Ordinal) ? sessionName : string.Empty,
            callerAccessKeyId ?? string.Empty,
            callerSessionToken ?? string.Empty,
            webIdentityToken ?? string.Empty,
            (durationSeconds ?? DefaultDurationSeconds).ToString(CultureInfo.InvariantCulture));

    private static PeerCredentials Derive(params string[] material)
    {
        string joined = string.Join('\u001f', material);
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(joined)));
        byte[] token = SHA256.HashData(Encoding.UTF8.GetBytes("session-token\u001f" + joined));
        return new PeerCredentials("ASIA" + hash[..16], hash[16..56].ToLowerInvariant(), "peer/" + Convert.ToBase64String(token));
    }
}
