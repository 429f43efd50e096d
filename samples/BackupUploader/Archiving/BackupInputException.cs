namespace BackupUploader.Archiving;

/// <summary>The input to back up is missing or unreadable. The message names the path, the cause and the fix.</summary>
internal sealed class BackupInputException(string message, Exception? innerException = null) : Exception(message, innerException);
