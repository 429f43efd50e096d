namespace WorkloadCredentials.Profiles.Internal;

/// <summary>Where the selected profile name came from: a named profile must exist, the default one need not.</summary>
internal enum ProfileNameOrigin
{
    /// <summary>Nothing named a profile: <c>default</c>.</summary>
    Default,

    /// <summary><c>WorkloadCredentialsOptions.Profile</c>.</summary>
    Options,

    /// <summary>The <c>AWS_PROFILE</c> environment variable.</summary>
    Environment,
}
