using WorkloadCredentials.Chain.Internal;

namespace WorkloadCredentials.Tool.Internal;

/// <summary>What one resolution of the default chain gave: credentials or an error, the chain's record, the profile plan.</summary>
internal sealed class ResolutionOutcome
{
    public ResolutionOutcome(
        AwsCredentials? credentials,
        ChainResolution? resolution,
        ResolutionErrorKind errorKind,
        string? errorMessage,
        string? errorSourceName,
        ProfileSummary? profile)
    {
        Credentials = credentials;
        Resolution = resolution;
        ErrorKind = errorKind;
        ErrorMessage = errorMessage;
        ErrorSourceName = errorSourceName;
        Profile = profile;
    }

    /// <summary>Gets the credentials, or <see langword="null"/> when none resolved.</summary>
    public AwsCredentials? Credentials { get; }

    /// <summary>Gets the chain's record (chosen source, why each other was skipped), or <see langword="null"/> when the chain was not reached.</summary>
    public ChainResolution? Resolution { get; }

    public ResolutionErrorKind ErrorKind { get; }

    /// <summary>Gets the library's message (it names the source, the reason and the fix; never a secret).</summary>
    public string? ErrorMessage { get; }

    /// <summary>Gets the source that failed, where known.</summary>
    public string? ErrorSourceName { get; }

    /// <summary>Gets the shared-config profile plan when the profile source was chosen.</summary>
    public ProfileSummary? Profile { get; }

    /// <summary>Gets where the External ID sent to STS is configured (<c>configured (external_id of profile 'x')</c>), never its value.</summary>
    public string? ExternalId { get; init; }

    public int ExitCode => ErrorKind switch
    {
        ResolutionErrorKind.None => ExitCodes.Resolved,
        ResolutionErrorKind.NoCredentials => ExitCodes.NoCredentials,
        _ => ExitCodes.SourceFailed,
    };
}
