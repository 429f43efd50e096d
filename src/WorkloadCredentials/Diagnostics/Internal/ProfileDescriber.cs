using WorkloadCredentials.Chain.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Profiles.Internal;

namespace WorkloadCredentials.Diagnostics.Internal;

/// <summary>
/// Re-reads the plan of a chain's profile source (the files and the chain of profiles; nothing is fetched) to describe the profile, and
/// registers the secrets the plan holds (static keys, every role's External ID) so that no description text can show them.
/// </summary>
internal static class ProfileDescriber
{
    /// <summary>Returns the profile of the chain link named <paramref name="linkName"/>, or <see langword="null"/> when it is not the profile source.</summary>
    public static async ValueTask<CredentialProfileDescription?> DescribeAsync(
        CredentialChain chain, string? linkName, DescriptionText text, CancellationToken cancellationToken)
    {
        if (linkName is null || Find(chain, linkName) is not { } source)
        {
            return null;
        }

        ProfilePlan plan;
        try
        {
            plan = await source.ResolveAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsCredentialException or IOException or UnauthorizedAccessException)
        {
            // The files changed or went away since the chain read them; the credentials are still described without the plan.
            return null;
        }

        if (plan.Chain.Base is StaticKeysProfileStep keys)
        {
            text.AddSecret(keys.SecretAccessKey);
            text.AddSecret(keys.SessionToken);
        }

        var externalIdProfiles = new List<string>();
        foreach (AssumeRoleProfileStep role in plan.Chain.Roles)
        {
            text.AddSecret(role.ExternalId);
            if (role.ExternalId is not null)
            {
                externalIdProfiles.Add(text.Clean(role.ProfileName)!);
            }
        }

        DateTimeOffset? ssoTokenExpiration = null;
        try
        {
            ssoTokenExpiration = (source.SsoSourceFor(plan) as ICachedTokenSource)?.PeekTokenExpiration();
        }
        catch (Exception ex) when (ex is AwsCredentialException or ObjectDisposedException)
        {
            // The chain was disposed while describing: the rest of the description stands.
        }

        CredentialProfileOrigin origin = plan.Locations.ProfileNameOrigin switch
        {
            ProfileNameOrigin.Options => CredentialProfileOrigin.Options,
            ProfileNameOrigin.Environment => CredentialProfileOrigin.Environment,
            _ => CredentialProfileOrigin.Default,
        };
        return new CredentialProfileDescription(
            text.Clean(plan.Chain.ProfileName)!,
            origin,
            text.Clean(plan.Chain.Describe())!,
            text.Clean(plan.Locations.ConfigFilePath),
            text.Clean(plan.Locations.CredentialsFilePath),
            externalIdProfiles.AsReadOnly())
        {
            SsoTokenExpiration = ssoTokenExpiration,
        };
    }

    private static ProfileCredentialSource? Find(CredentialChain chain, string linkName)
    {
        foreach (ChainLink link in chain.Links)
        {
            if (link.Name == linkName && link.Source is ProfileCredentialSource profile)
            {
                return profile;
            }
        }

        return null;
    }
}
