namespace WorkloadCredentials.Tool.Internal;

/// <summary>
/// Checks what the library cannot: a blank <c>--profile</c> (the library reads a blank profile as "none"). Every other option value is
/// checked by the library when the chain is created, and its messages are reworded for the command line (<see cref="CommandLineWording"/>).
/// </summary>
internal static class ToolValidation
{
    /// <exception cref="ToolUsageException">An option value is wrong.</exception>
    public static void Validate(ToolSettings settings)
    {
        if (settings.Profile is { } profile && string.IsNullOrWhiteSpace(profile))
        {
            throw new ToolUsageException("--profile is blank; give a profile name, or leave the option out to use AWS_PROFILE or the default profile.");
        }
    }
}
