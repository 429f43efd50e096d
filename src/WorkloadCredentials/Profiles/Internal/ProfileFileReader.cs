namespace WorkloadCredentials.Profiles.Internal;

/// <summary>Reads and merges the two shared files. A missing file counts as empty, as in every SDK.</summary>
internal static class ProfileFileReader
{
    /// <exception cref="ProfileConfigurationException">A file exists but cannot be read or parsed.</exception>
    public static async ValueTask<ProfileSet> ReadAsync(ProfileFileLocations locations, CancellationToken cancellationToken)
    {
        string? config = await ReadFileAsync(locations.ConfigFilePath, cancellationToken).ConfigureAwait(false);
        string? credentials = await ReadFileAsync(locations.CredentialsFilePath, cancellationToken).ConfigureAwait(false);
        return ProfileSet.Parse(config, locations.ConfigFilePath, credentials, locations.CredentialsFilePath);
    }

    private static async ValueTask<string?> ReadFileAsync(string? path, CancellationToken cancellationToken)
    {
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The file may be replaced between the check and the read; only a file that exists and cannot be read is an error.
            if (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }

            throw new ProfileConfigurationException(
                ProfileErrorKind.FileUnreadable,
                $"Profile: could not read profile file {path}: {ex.GetType().Name}. Check its permissions.",
                isRecoverable: true,
                ex);
        }
    }
}
