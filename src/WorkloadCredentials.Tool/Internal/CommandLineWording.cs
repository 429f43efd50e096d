namespace WorkloadCredentials.Tool.Internal;

/// <summary>
/// The library's messages name the options a program sets (<c>WorkloadCredentialsOptions.Profile</c>) and their configuration keys
/// (<c>AWS:Region</c>); on the command line the same setting is an option (<c>--profile</c>, <c>--region</c>), so the tool says that instead.
/// </summary>
internal static class CommandLineWording
{
    private static readonly (string Library, string CommandLine)[] Replacements =
    [
        ("WorkloadCredentialsOptions.Profile", "--profile"),
        ("WorkloadCredentialsOptions.Region", "--region"),
        ("AWS:Region is ", "--region is "),
        ("(from AWS:Region)", "(from --region)"),
    ];

    public static string? Apply(string? message)
    {
        if (message is null)
        {
            return null;
        }

        foreach ((string library, string commandLine) in Replacements)
        {
            message = message.Replace(library, commandLine, StringComparison.Ordinal);
        }

        return message;
    }
}
