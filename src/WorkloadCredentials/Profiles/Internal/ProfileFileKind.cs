namespace WorkloadCredentials.Profiles.Internal;

/// <summary>Which of the two shared files a text came from: their section headers follow different rules.</summary>
internal enum ProfileFileKind
{
    /// <summary><c>~/.aws/config</c>: <c>[default]</c>, <c>[profile name]</c>, <c>[sso-session name]</c>, <c>[services name]</c>.</summary>
    Config,

    /// <summary><c>~/.aws/credentials</c>: <c>[name]</c> only.</summary>
    Credentials,
}
