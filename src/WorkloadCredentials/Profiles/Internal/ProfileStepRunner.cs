namespace WorkloadCredentials.Profiles.Internal;

/// <summary>Runs one step of a profile chain on the source it delegates to, and words its failure as the profile's.</summary>
internal static class ProfileStepRunner
{
    /// <param name="create">Gets the step's source.</param>
    /// <param name="step">The step, described for messages.</param>
    /// <param name="location">Where the step is configured.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    public static async ValueTask<AwsCredentials> RunAsync(
        Func<IAwsCredentialSource> create, string step, string location, CancellationToken cancellationToken)
    {
        try
        {
            return await create().GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (CredentialUnavailableException ex)
        {
            // The profile asked for this source: its absence is a failure of the profile, not a reason to try another identity.
            throw new ProfileConfigurationException(ProfileErrorKind.StepFailed, $"Profile: {step}{location} is unavailable: {ex.Message}", isRecoverable: true, ex);
        }
        catch (AwsCredentialException ex)
        {
            throw new ProfileConfigurationException(ProfileErrorKind.StepFailed, $"Profile: {step}{location} failed: {ex.Message}", ex.IsRecoverable, ex);
        }
        catch (Exception ex)
        {
            throw new ProfileConfigurationException(ProfileErrorKind.StepFailed, $"Profile: {step}{location} failed: {ex.GetType().Name}: {ex.Message}", isRecoverable: true, ex);
        }
    }
}
