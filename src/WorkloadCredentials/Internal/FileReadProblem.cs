namespace WorkloadCredentials.Internal;

/// <summary>Why <see cref="BoundedFileReader"/> refused or could not read a file.</summary>
internal enum FileReadProblem
{
    /// <summary>Nothing exists at the path (or a directory on the way is missing).</summary>
    NotFound,

    /// <summary>The path names a directory.</summary>
    Directory,

    /// <summary>The path names a FIFO, a socket, a device or anything else that is not a regular file.</summary>
    NotRegularFile,

    /// <summary>The file holds more bytes than the cap for its kind.</summary>
    TooLarge,

    /// <summary>The file is not valid UTF-8 (or is UTF-16).</summary>
    InvalidEncoding,

    /// <summary>The process may not open the file.</summary>
    AccessDenied,

    /// <summary>Any other input/output error.</summary>
    Unreadable,
}
