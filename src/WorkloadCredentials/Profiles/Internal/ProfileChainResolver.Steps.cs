using System.Globalization;
using K = WorkloadCredentials.Profiles.ProfileConstants;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>The steps of a profile chain, each read from its profile's keys with its error naming the key and the file.</summary>
internal static partial class ProfileChainResolver
{
    private static StaticKeysProfileStep StaticKeys(ProfileSection profile, ProfileSection? referrer)
    {
        ProfileProperty? accessKeyId = profile.GetNonBlank(K.AccessKeyId);
        ProfileProperty? secretAccessKey = profile.GetNonBlank(K.SecretAccessKey);
        if (accessKeyId is null && secretAccessKey is null)
        {
            string usedBy = referrer is null ? string.Empty : $", yet profile '{referrer.Name}' uses it as source_profile";
            throw Fail(
                ProfileErrorKind.NoCredentials,
                $"Profile: profile '{profile.Name}' (in {profile.DescribeFiles()}) did not contain credential information{usedBy}. Set {CredentialSettingsHint}.");
        }

        if (secretAccessKey is null)
        {
            throw Fail(
                ProfileErrorKind.MissingSecretAccessKey,
                $"Profile: profile '{profile.Name}' sets aws_access_key_id{accessKeyId!.Location} but is missing aws_secret_access_key. Add aws_secret_access_key to the profile.");
        }

        if (accessKeyId is null)
        {
            throw Fail(
                ProfileErrorKind.MissingAccessKeyId,
                $"Profile: profile '{profile.Name}' sets aws_secret_access_key{secretAccessKey.Location} but is missing aws_access_key_id. Add aws_access_key_id to the profile.");
        }

        return new StaticKeysProfileStep(
            profile.Name,
            Where(profile, accessKeyId),
            accessKeyId.Value.Trim(),
            secretAccessKey.Value.Trim(),
            profile.GetValue(K.SessionToken)?.Trim(),
            profile.GetValue(K.AccountId)?.Trim());
    }

    private static NamedSourceProfileStep NamedSource(ProfileSection profile, ProfileProperty credentialSource)
    {
        ProfileCredentialSourceKind kind = credentialSource.Value.Trim() switch
        {
            "Environment" => ProfileCredentialSourceKind.Environment,
            "Ec2InstanceMetadata" => ProfileCredentialSourceKind.Ec2InstanceMetadata,
            "EcsContainer" => ProfileCredentialSourceKind.EcsContainer,
            string other => throw Fail(
                ProfileErrorKind.InvalidCredentialSource,
                $"Profile: profile '{profile.Name}' has credential_source = '{other}'{credentialSource.Location}, which is not one of Environment, Ec2InstanceMetadata, EcsContainer. Fix the value."),
        };
        return new NamedSourceProfileStep(profile.Name, Where(profile, credentialSource), kind);
    }

    private static AssumeRoleProfileStep Role(ProfileSection profile, ProfileProperty roleArn)
    {
        if (profile.GetNonBlank(K.MfaSerial) is { } mfaSerial)
        {
            throw Fail(
                ProfileErrorKind.MfaNotSupported,
                $"Profile: profile '{profile.Name}' sets mfa_serial{mfaSerial.Location}: assuming its role needs an MFA code typed by a person, which a workload cannot supply. Use a profile without mfa_serial.");
        }

        int? duration = null;
        if (profile.GetNonBlank(K.DurationSeconds) is { } durationSeconds)
        {
            string text = durationSeconds.Value.Trim();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds)
                || seconds < K.MinDurationSeconds || seconds > K.MaxDurationSeconds)
            {
                throw Fail(
                    ProfileErrorKind.InvalidDurationSeconds,
                    $"Profile: profile '{profile.Name}' has duration_seconds = '{text}'{durationSeconds.Location}, which is not a whole number of seconds from {K.MinDurationSeconds} to {K.MaxDurationSeconds}. Fix the value.");
            }

            duration = seconds;
        }

        return new AssumeRoleProfileStep(
            profile.Name,
            Where(profile, roleArn),
            roleArn.Value.Trim(),
            profile.GetValue(K.ExternalId)?.Trim(),
            profile.GetValue(K.RoleSessionName)?.Trim(),
            duration);
    }

    private static SsoProfileStep? Sso(ProfileSet set, ProfileSection profile)
    {
        string? accountId = profile.GetValue(K.SsoAccountId)?.Trim();
        string? roleName = profile.GetValue(K.SsoRoleName)?.Trim();
        string? startUrl = profile.GetValue(K.SsoStartUrl)?.Trim();
        string? region = profile.GetValue(K.SsoRegion)?.Trim();
        ProfileProperty? session = profile.GetNonBlank(K.SsoSession);
        if (accountId is null && roleName is null && startUrl is null && region is null && session is null)
        {
            return null;
        }

        string? sessionName = session?.Value.Trim();
        if (session is not null)
        {
            if (!set.SsoSessions.TryGetValue(sessionName!, out ProfileSection? sessionSection))
            {
                throw Fail(
                    ProfileErrorKind.SsoSessionNotFound,
                    $"Profile: profile '{profile.Name}' sets sso_session = '{sessionName}'{session.Location}, but no [sso-session {sessionName}] section was found in {set.ConfigFilePath ?? "the config file"}. Add the section or fix sso_session.");
            }

            string? sessionStartUrl = sessionSection.GetValue(K.SsoStartUrl)?.Trim();
            string? sessionRegion = sessionSection.GetValue(K.SsoRegion)?.Trim();
            foreach ((string key, string? value, string? sessionValue) in new[] { (K.SsoStartUrl, startUrl, sessionStartUrl), (K.SsoRegion, region, sessionRegion) })
            {
                if (value is not null && value != sessionValue)
                {
                    throw Fail(
                        ProfileErrorKind.InvalidSsoConfiguration,
                        $"Profile: profile '{profile.Name}' sets {key}{Location(profile, key)}, but `{key}` can only be specified in the [sso-session] config when a session name is given (sso_session = '{sessionName}'). Move it to [sso-session {sessionName}].");
                }
            }

            startUrl = sessionStartUrl;
            region = sessionRegion;
        }

        if ((accountId is null) != (roleName is null))
        {
            (string set1, string missing) = accountId is null ? (K.SsoRoleName, K.SsoAccountId) : (K.SsoAccountId, K.SsoRoleName);
            throw Fail(
                ProfileErrorKind.InvalidSsoConfiguration,
                $"Profile: profile '{profile.Name}' sets {set1}{Location(profile, set1)}: if `{set1}` is set, then `{missing}` must also be set. Add {missing}.");
        }

        if (startUrl is null || region is null)
        {
            throw Fail(
                ProfileErrorKind.InvalidSsoConfiguration,
                $"Profile: profile '{profile.Name}' (in {profile.DescribeFiles()}) uses IAM Identity Center (SSO) settings but sso_start_url and sso_region are not both set. Complete them or remove the sso_* settings.");
        }

        return new SsoProfileStep(profile.Name, $" (in {profile.DescribeFiles()})", sessionName, accountId, roleName, region, startUrl);
    }
}
