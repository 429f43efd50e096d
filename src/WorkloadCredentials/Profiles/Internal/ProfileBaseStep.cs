namespace WorkloadCredentials.Profiles.Internal;

/// <summary>The first step of a profile chain: where the first credentials come from, before any role is assumed.</summary>
internal abstract class ProfileBaseStep
{
    protected ProfileBaseStep(string profileName, string location)
    {
        ProfileName = profileName;
        Location = location;
    }

    /// <summary>Gets the profile that defines the step.</summary>
    public string ProfileName { get; }

    /// <summary>Gets where the step's key was read, for messages: <c> (file line n)</c>, or empty when built in memory.</summary>
    public string Location { get; }

    /// <summary>Describes the step for logs and messages. Never includes a secret.</summary>
    public abstract string Describe();

    public sealed override string ToString() => Describe();
}
