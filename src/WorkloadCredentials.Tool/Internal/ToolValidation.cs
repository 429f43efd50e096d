using Microsoft.Extensions.Options;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.Tool.Internal;

/// <summary>Checks the global option values before anything is resolved.</summary>
internal static class ToolValidation
{
    /// <exception cref="ToolUsageException">An option value is wrong.</exception>
    public static void Validate(WorkloadCredentialsOptions options)
    {
        // The library's own rule, named after the option (start-up validation below would name AWS:Region).
        if (options.Region is { } region && StsValidation.Region(region, "--region") is { } regionError)
        {
            throw new ToolUsageException(regionError);
        }

        if (options.Profile is { } profile && string.IsNullOrWhiteSpace(profile))
        {
            throw new ToolUsageException("--profile is blank; give a profile name, or leave the option out to use AWS_PROFILE or the default profile.");
        }

        try
        {
            AwsCredentialSources.Validate(options);
        }
        catch (OptionsValidationException ex)
        {
            throw new ToolUsageException(string.Join(" ", ex.Failures), ex);
        }
    }
}
