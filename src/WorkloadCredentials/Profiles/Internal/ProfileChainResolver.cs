using System.Globalization;
using K = WorkloadCredentials.Profiles.ProfileConstants;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Turns the selected profile into a <see cref="ProfileChain"/>, following the cross-SDK rules (smithy-rs
/// <c>assume-role-tests.json</c>): follow <c>source_profile</c> from profile to profile (at most
/// <see cref="ProfileConstants.MaxChainProfiles"/>) until a profile gives
/// base credentials; after the first profile, static keys win over that profile's own role; a profile that names itself
/// is its own base; a repeated profile is a loop (reported with the path). Every error names the profile, the key and the file.
/// </summary>
internal static partial class ProfileChainResolver
{
    private const string CredentialSettingsHint =
        "aws_access_key_id and aws_secret_access_key, role_arn with source_profile or credential_source, credential_process, or web_identity_token_file";

    /// <exception cref="ProfileConfigurationException">The profile is missing or its settings are broken.</exception>
    public static ProfileChain Resolve(ProfileSet set, string profileName)
    {
        if (set.Profiles.Count == 0)
        {
            throw Fail(
                ProfileErrorKind.ProfileNotFound,
                $"Profile: profile '{profileName}' was not found: no profiles were defined in {set.DescribeFiles()}. Create the profile or select another one.");
        }

        var visited = new List<string>();
        var roles = new List<AssumeRoleProfileStep>();
        string name = profileName;
        ProfileSection? referrer = null;
        ProfileBaseStep baseStep;

        while (true)
        {
            if (!set.Profiles.TryGetValue(name, out ProfileSection? profile))
            {
                throw referrer is null
                    ? Fail(
                        ProfileErrorKind.ProfileNotFound,
                        $"Profile: profile '{name}' was not found in {set.DescribeFiles()}. Add [profile {name}] to the config file or [{name}] to the credentials file, or select an existing profile.")
                    : Fail(
                        ProfileErrorKind.SourceProfileNotFound,
                        $"Profile: could not find source profile '{name}' referenced from profile '{referrer.Name}' (source_profile{Location(referrer, K.SourceProfile)}). Define profile '{name}' or fix source_profile.");
            }

            if (visited.Count == K.MaxChainProfiles)
            {
                // Checked while planning, before any STS call: a generated or looping-by-name chain of thousands of profiles
                // would otherwise be thousands of AssumeRole calls in turn.
                throw Fail(
                    ProfileErrorKind.ChainTooLong,
                    $"Profile: the source_profile chain from profile '{profileName}' visits more than {K.MaxChainProfiles} profiles ({visited[0]} -> {visited[1]} -> {visited[2]} -> ... -> {visited[^1]} -> {name}) in {set.DescribeFiles()}; each hop is an STS call and real chains have one to three. Give a profile near the start static keys, a credential_source or a credential_process. See docs/profiles.md#file-limits.");
            }

            if (visited.Contains(name))
            {
                throw Fail(
                    ProfileErrorKind.InfiniteLoop,
                    $"Profile: the source_profile settings formed an infinite loop: {string.Join(" -> ", visited)} -> {name} (in {set.DescribeFiles()}). Give one of these profiles static keys or a credential_source instead of source_profile.");
            }

            visited.Add(name);

            // After the first profile, a profile's static keys win over its own role (the SDKs' rule).
            if (visited.Count > 1 && profile.GetValue(K.AccessKeyId) is not null && profile.GetValue(K.SecretAccessKey) is not null)
            {
                baseStep = StaticKeys(profile, referrer);
                break;
            }

            ProfileProperty? roleArn = profile.GetNonBlank(K.RoleArn);
            if (roleArn is null || profile.GetNonBlank(K.WebIdentityTokenFile) is not null)
            {
                baseStep = BaseStep(set, profile, referrer);
                break;
            }

            ProfileProperty? sourceProfile = profile.GetNonBlank(K.SourceProfile);
            ProfileProperty? credentialSource = profile.GetNonBlank(K.CredentialSource);
            if (sourceProfile is not null && credentialSource is not null)
            {
                throw Fail(
                    ProfileErrorKind.ConflictingRoleSource,
                    $"Profile: profile '{name}' contained both source_profile{sourceProfile.Location} and credential_source{credentialSource.Location}; only one may be set. Remove one of them.");
            }

            if (sourceProfile is null && credentialSource is null)
            {
                throw Fail(
                    ProfileErrorKind.MissingRoleSource,
                    $"Profile: profile '{name}' sets role_arn{roleArn.Location}, so the profile must contain `source_profile` or `credential_source` to say which credentials assume the role. Add one of them.");
            }

            roles.Add(Role(profile, roleArn));

            if (credentialSource is not null)
            {
                baseStep = NamedSource(profile, credentialSource);
                break;
            }

            string next = sourceProfile!.Value.Trim();
            if (next == name)
            {
                // A profile that names itself supplies its own base credentials (and is not a loop).
                baseStep = BaseStep(set, profile, referrer);
                break;
            }

            referrer = profile;
            name = next;
        }

        roles.Reverse();
        return new ProfileChain(profileName, baseStep, roles);
    }

    /// <summary>Gets whether a profile has any setting that makes it a credential source (otherwise it only holds configuration).</summary>
    public static bool HasCredentialSettings(ProfileSection profile) =>
        Array.Exists(K.CredentialSettings, key => profile.GetNonBlank(key) is not null)
        || profile.GetNonBlank(K.SsoRegion) is not null;

    private static ProfileBaseStep BaseStep(ProfileSet set, ProfileSection profile, ProfileSection? referrer)
    {
        if (profile.GetNonBlank(K.CredentialSource) is { } credentialSource)
        {
            return NamedSource(profile, credentialSource);
        }

        if (profile.GetNonBlank(K.WebIdentityTokenFile) is { } tokenFile)
        {
            ProfileProperty roleArn = profile.GetNonBlank(K.RoleArn) ?? throw Fail(
                ProfileErrorKind.MissingRoleArn,
                $"Profile: profile '{profile.Name}' sets web_identity_token_file{tokenFile.Location} but `role_arn` was missing. Add role_arn: the role to assume with the token.");
            return new WebIdentityProfileStep(
                profile.Name, Where(profile, tokenFile), roleArn.Value.Trim(), tokenFile.Value.Trim(), profile.GetValue(K.RoleSessionName)?.Trim());
        }

        if (Sso(set, profile) is { } sso)
        {
            return sso;
        }

        if (profile.GetNonBlank(K.CredentialProcess) is { } process)
        {
            return new CredentialProcessProfileStep(profile.Name, Where(profile, process), process.Value.Trim(), profile.GetValue(K.AccountId)?.Trim());
        }

        if (profile.GetValue(K.AccessKeyId) is null && profile.GetValue(K.SecretAccessKey) is null
            && profile.GetNonBlank(K.RoleArn) is null && profile.GetNonBlank(K.SourceProfile) is { } sourceProfile)
        {
            throw Fail(
                ProfileErrorKind.MissingRoleArn,
                $"Profile: profile '{profile.Name}' sets source_profile{sourceProfile.Location} but no role_arn; source_profile only says which credentials assume a role. Add role_arn, or remove source_profile.");
        }

        return StaticKeys(profile, referrer);
    }

    private static string Location(ProfileSection profile, string key) =>
        profile.Properties.TryGetValue(key, out ProfileProperty? property) ? property.Location : string.Empty;

    private static string Where(ProfileSection profile, ProfileProperty property) => property.FilePath is null ? string.Empty : property.Location;

    private static ProfileConfigurationException Fail(ProfileErrorKind kind, string message) => new(kind, message);
}
