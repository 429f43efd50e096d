namespace BackupUploader;

/// <summary>An error the user can fix: the message is one paragraph naming the cause and the fix.</summary>
internal sealed class UploaderException(string message, int exitCode, Exception? innerException = null) : Exception(message, innerException)
{
    public int ExitCode { get; } = exitCode;
}
