namespace WorkloadCredentials.Profiles.Internal;

/// <summary><c>role_arn</c> with <c>web_identity_token_file</c> (and optionally <c>role_session_name</c>): sts:AssumeRoleWithWebIdentity.</summary>
internal sealed class WebIdentityProfileStep : ProfileBaseStep
{
    public WebIdentityProfileStep(string profileName, string location, string roleArn, string tokenFile, string? sessionName)
        : base(profileName, location)
    {
        RoleArn = roleArn;
        TokenFile = tokenFile;
        SessionName = sessionName;
    }

    public string RoleArn { get; }

    public string TokenFile { get; }

    public string? SessionName { get; }

    public override string Describe() => $"web identity {RoleArn} (token file {TokenFile}) of profile '{ProfileName}'";
}
