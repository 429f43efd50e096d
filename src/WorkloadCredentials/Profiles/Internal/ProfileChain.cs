namespace WorkloadCredentials.Profiles.Internal;

/// <summary>The plan for a profile: a base step, then the roles to assume in order (the first one with the base credentials).</summary>
internal sealed class ProfileChain
{
    public ProfileChain(string profileName, ProfileBaseStep baseStep, IReadOnlyList<AssumeRoleProfileStep> roles)
    {
        ProfileName = profileName;
        Base = baseStep;
        Roles = roles;
    }

    /// <summary>Gets the selected profile.</summary>
    public string ProfileName { get; }

    public ProfileBaseStep Base { get; }

    public IReadOnlyList<AssumeRoleProfileStep> Roles { get; }

    /// <summary>Describes the plan: <c>static keys AKIA... of profile 'base' -> assume role arn:... of profile 'dev'</c>. No secrets.</summary>
    public string Describe() => string.Join(" -> ", new[] { Base.Describe() }.Concat(Roles.Select(r => r.Describe())));

    public override string ToString() => Describe();
}
