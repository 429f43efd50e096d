namespace WorkloadCredentials.Diagnostics;

/// <summary>How the shared config profile that was read got selected.</summary>
public enum CredentialProfileOrigin
{
    /// <summary>Nothing named a profile: the <c>default</c> profile.</summary>
    Default = 0,

    /// <summary>The <c>AWS_PROFILE</c> environment variable named it.</summary>
    Environment = 1,

    /// <summary><see cref="WorkloadCredentialsOptions.Profile"/> (code or configuration) named it.</summary>
    Options = 2,
}
