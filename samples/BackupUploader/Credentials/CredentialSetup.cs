namespace BackupUploader.Credentials;

/// <summary>
/// The one place the uploader gets its credentials: <c>CredentialSetup.Library.cs</c>, on the WorkloadCredentials library.
/// </summary>
internal static partial class CredentialSetup
{
    /// <summary>Resolves credentials once (so a credential problem shows before any byte is read) and returns them for the SDK.</summary>
    /// <exception cref="UploaderException">No credentials can be had; the message names the cause and the fix.</exception>
    public static partial Task<UploaderCredentials> CreateAsync(CredentialRequest request, CancellationToken cancellationToken);

    private const string NoCredentialsFix =
        "Run where a role is attached (EKS IRSA or Pod Identity, an ECS task role, an EC2 instance profile), or set AWS_PROFILE, " +
        "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; `workload-credentials describe` shows what each source found " +
        "(see docs/TROUBLESHOOTING.md).";
}
