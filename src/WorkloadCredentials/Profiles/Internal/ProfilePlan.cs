namespace WorkloadCredentials.Profiles.Internal;

/// <summary>Everything the profile source decided before fetching: the files, the selected profile, the chain and the STS settings.</summary>
internal sealed class ProfilePlan
{
    public ProfilePlan(ProfileFileLocations locations, ProfileSet set, ProfileChain chain, ProfileStsSettings sts)
    {
        Locations = locations;
        Set = set;
        Chain = chain;
        Sts = sts;
    }

    public ProfileFileLocations Locations { get; }

    public ProfileSet Set { get; }

    public ProfileChain Chain { get; }

    public ProfileStsSettings Sts { get; }
}
