using Microsoft.Extensions.Options;

namespace WorkloadCredentials.Tool.Internal;

/// <summary>Checks the global option values before anything is resolved.</summary>
internal static class ToolValidation
{
    /// <exception cref="ToolUsageException">An option value is wrong.</exception>
    public static void Validate(WorkloadCredentialsOptions options)
    {
        if (options.Region is { } region && !IsRegionName(region))
        {
            throw new ToolUsageException($"--region '{region}' is not a region name such as eu-west-1 (lowercase letters, digits and hyphens).");
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

    /// <summary>A region name: lowercase letters, digits and hyphens, starting with a letter, at most 64 characters.</summary>
    public static bool IsRegionName(string value)
    {
        if (value.Length is 0 or > 64 || value[0] is < 'a' or > 'z' || value[^1] == '-')
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
