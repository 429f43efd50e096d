namespace WorkloadCredentials.Internal;

/// <summary>
/// A file could not be read by <see cref="BoundedFileReader"/>. The message is a predicate about the file ("is a FIFO (named pipe),
/// not a regular file"), without the path or any of the file's contents, so a caller writes "{setting} {path} {message}. {fix}".
/// </summary>
internal sealed class FileReadException : IOException
{
    public FileReadException()
    {
    }

    public FileReadException(string message)
        : base(message)
    {
    }

    public FileReadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public FileReadException(FileReadProblem problem, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Problem = problem;
    }

    /// <summary>Gets what went wrong.</summary>
    public FileReadProblem Problem { get; } = FileReadProblem.Unreadable;
}
