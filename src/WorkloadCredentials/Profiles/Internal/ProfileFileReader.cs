using WorkloadCredentials.Internal;
using K = WorkloadCredentials.Profiles.ProfileConstants;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>
/// Reads and merges the two shared files through <see cref="BoundedFileReader"/> (regular files of at most
/// <see cref="ProfileConstants.MaxFileBytes"/>, strict UTF-8). A missing file counts as empty, as in every SDK, and so does the
/// null device (<c>AWS_CONFIG_FILE=/dev/null</c> is the usual way to say "no config file").
/// </summary>
internal static class ProfileFileReader
{
    /// <exception cref="ProfileConfigurationException">A file exists but cannot be read or parsed.</exception>
    public static ValueTask<ProfileSet> ReadAsync(ProfileFileLocations locations, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(locations));
    }

    /// <exception cref="ProfileConfigurationException">A file exists but cannot be read or parsed.</exception>
    public static ProfileSet Read(ProfileFileLocations locations)
    {
        string? config = ReadFile(locations.ConfigFilePath, "shared config file", K.ConfigFileEnvironmentVariable);
        string? credentials = ReadFile(locations.CredentialsFilePath, "shared credentials file", K.CredentialsFileEnvironmentVariable);
        return ProfileSet.Parse(config, locations.ConfigFilePath, credentials, locations.CredentialsFilePath);
    }

    private static string? ReadFile(string? path, string what, string variable)
    {
        if (path is null || IsNullDevice(path))
        {
            return null;
        }

        try
        {
            return BoundedFileReader.ReadText(path, K.MaxFileBytes);
        }
        catch (FileReadException ex) when (ex.Problem == FileReadProblem.NotFound)
        {
            return null;
        }
        catch (FileReadException ex)
        {
            string fix = ex.Problem switch
            {
                FileReadProblem.AccessDenied => "Let the process's user read it, or point",
                FileReadProblem.TooLarge => $"No shared config file is near {BoundedFileReader.DescribeSize(K.MaxFileBytes)}: check that {variable} names the right file, or point",
                _ => "Fix the file, or point",
            };
            throw new ProfileConfigurationException(
                ProfileErrorKind.FileUnreadable,
                $"Profile: the {what} {SafeText.Escape(path)} {ex.Message}. {fix} {variable} at a regular UTF-8 file (or at /dev/null for none). See docs/profiles.md#file-limits.",
                isRecoverable: true,
                ex);
        }
    }

    private static bool IsNullDevice(string path) =>
        OperatingSystem.IsWindows() ? string.Equals(path, "NUL", StringComparison.OrdinalIgnoreCase) : path == "/dev/null";
}
