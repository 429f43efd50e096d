namespace WorkloadCredentials.Profiles.Internal;

/// <summary>A web identity step of a profile: sts:AssumeRoleWithWebIdentity with the token re-read from <see cref="TokenFile"/> at every call.</summary>
internal sealed record ProfileWebIdentityRequest
{
    public ProfileWebIdentityRequest(string roleArn, string tokenFile, string? sessionName, ProfileStsSettings sts)
    {
        RoleArn = roleArn;
        TokenFile = tokenFile;
        SessionName = sessionName;
        Sts = sts;
    }

    public string RoleArn { get; }

    public string TokenFile { get; }

    /// <summary>Gets <c>role_session_name</c>, or <see langword="null"/> to let the source choose one.</summary>
    public string? SessionName { get; }

    public ProfileStsSettings Sts { get; }
}
