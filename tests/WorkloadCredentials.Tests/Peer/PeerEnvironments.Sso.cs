using WorkloadCredentials.Sso.Internal;

namespace WorkloadCredentials.Tests.Peer;

/// <summary>
/// IAM Identity Center (SSO) environments (issue 13): a token cache written as <c>aws sso login</c> leaves it under the fresh home
/// directory, the portal at the fake (<c>AWS_ENDPOINT_URL_SSO</c>), so both peers call GetRoleCredentials there with the cached
/// token and receive keys derived from account, role and token.
/// </summary>
internal static partial class PeerEnvironments
{
    public const string SsoAccount = "111122223333";
    public const string SsoRole = "peer-sso-role";
    public const string SsoSessionName = "peer-session";
    public const string SsoStartUrl = "https://peer-sso.awsapps.com/start";
    public const string SsoLegacyStartUrl = "https://peer-sso-legacy.awsapps.com/start";
    public const string SsoAccessToken = "peer-sso-access-token-from-the-cache";
    public const string SsoLegacyAccessToken = "peer-sso-legacy-access-token-from-the-cache";

    private const string ExpiredAt = "2020-01-01T00:00:00Z";

    // A property, not a field: the other part's All is initialised first, and field order across partial files is not defined.
    private static PeerCredentials SsoKeys => PeerKeys.Sso(SsoAccount, SsoRole, SsoAccessToken);

    private static IEnumerable<PeerEnvironment> Sso()
    {
        yield return new()
        {
            Name = "sso: sso_session profile, token in the cache",
            Category = PeerCategory.Source,
            Config = SsoSessionProfile("default"),
            Variables = SsoEndpoint(),
            Files = SsoTokenFile(SsoSessionName, SsoAccessToken, "{expiration}", SsoStartUrl),
            Expected = PeerOutcome.Keys(SsoKeys, "GetRoleCredentials with the sso-session token"),
        };
        yield return new()
        {
            Name = "sso: legacy sso_start_url profile, token in the cache",
            Category = PeerCategory.Source,
            Config = SsoLegacyProfile("default"),
            Variables = SsoEndpoint(),
            Files = SsoTokenFile(SsoLegacyStartUrl, SsoLegacyAccessToken, "{expiration}", SsoLegacyStartUrl),
            Expected = PeerOutcome.Keys(PeerKeys.Sso(SsoAccount, SsoRole, SsoLegacyAccessToken), "GetRoleCredentials with the start URL's token"),
        };
        yield return new()
        {
            Name = "sso: AWS_PROFILE selects an sso_session profile",
            Category = PeerCategory.Source,
            Config = Keys("default", ConfigKeys) + SsoSessionProfile("profile dev"),
            Variables = new Dictionary<string, string?>(SsoEndpoint()) { ["AWS_PROFILE"] = "dev" },
            Files = SsoTokenFile(SsoSessionName, SsoAccessToken, "{expiration}", SsoStartUrl),
            Expected = PeerOutcome.Keys(SsoKeys, "GetRoleCredentials for the named profile"),
        };
        yield return new()
        {
            Name = "sso: role_arn on top of an SSO source_profile",
            Category = PeerCategory.ProfileChain,
            Config = $"[default]\nrole_arn = {RoleA}\nsource_profile = sso\n" + SsoSessionProfile("profile sso"),
            Variables = SsoEndpoint(),
            Files = SsoTokenFile(SsoSessionName, SsoAccessToken, "{expiration}", SsoStartUrl),
            Expected = PeerOutcome.Keys(PeerKeys.AssumeRole(RoleA, SsoKeys), "AssumeRole signed with the SSO role credentials"),
        };
        yield return new()
        {
            Name = "sso: precedence, an SSO profile over the credentials file's keys",
            Category = PeerCategory.Precedence,
            Config = SsoSessionProfile("default"),
            Credentials = Keys("default", ProfileKeys),
            Variables = SsoEndpoint(),
            Files = SsoTokenFile(SsoSessionName, SsoAccessToken, "{expiration}", SsoStartUrl),
            Expected = PeerOutcome.Keys(SsoKeys, "SSO before the credentials file"),
        };
        yield return new()
        {
            Name = "sso: precedence, environment web identity over an SSO profile",
            Category = PeerCategory.Precedence,
            Config = SsoSessionProfile("default"),
            Variables = Merge(new Dictionary<string, string?>(SsoEndpoint()), EnvWebIdentity()),
            Files = Merge(SsoTokenFile(SsoSessionName, SsoAccessToken, "{expiration}", SsoStartUrl), EnvWebTokenFile()),
            Expected = PeerOutcome.Keys(PeerKeys.WebIdentity(RoleWeb, EnvWebToken), "AssumeRoleWithWebIdentity before SSO"),
        };
        yield return Failing(
            "sso: no token in the cache fails without falling through",
            "no cached token: the user must run aws sso login",
            config: SsoSessionProfile("default"),
            variables: SsoEndpoint());
        yield return Failing(
            "sso: legacy profile with an expired token fails without falling through",
            "the cached token expired and the legacy form is never refreshed",
            config: SsoLegacyProfile("default"),
            variables: SsoEndpoint(),
            files: SsoTokenFile(SsoLegacyStartUrl, SsoLegacyAccessToken, ExpiredAt, SsoLegacyStartUrl));
    }

    private static string SsoSessionProfile(string section) =>
        $"[{section}]\nsso_session = {SsoSessionName}\nsso_account_id = {SsoAccount}\nsso_role_name = {SsoRole}\n"
        + $"[sso-session {SsoSessionName}]\nsso_region = us-east-1\nsso_start_url = {SsoStartUrl}\n";

    private static string SsoLegacyProfile(string section) =>
        $"[{section}]\nsso_start_url = {SsoLegacyStartUrl}\nsso_region = us-east-1\nsso_account_id = {SsoAccount}\nsso_role_name = {SsoRole}\n";

    private static Dictionary<string, string?> SsoEndpoint() => new() { ["AWS_ENDPOINT_URL_SSO"] = "{endpoint}" };

    /// <summary>The cache file <c>aws sso login</c> writes: <c>.aws/sso/cache/&lt;sha1 of the session name or start URL&gt;.json</c>.</summary>
    private static Dictionary<string, string> SsoTokenFile(string key, string accessToken, string expiresAt, string startUrl) => new()
    {
        [Path.Combine(".aws", "sso", "cache", SsoTokenCacheFile.FileName(key))] =
            $$"""{"startUrl": "{{startUrl}}", "region": "us-east-1", "accessToken": "{{accessToken}}", "expiresAt": "{{expiresAt}}"}""",
    };
}
