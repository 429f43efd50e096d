using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;

namespace WorkloadCredentials.Internal;

/// <summary>
/// The one way the library reads a file (the web identity token, the container authorization token, the shared config and
/// credentials files): regular files only, at most a cap of bytes, strict UTF-8. Nothing the environment points at can block,
/// exhaust memory or smuggle replacement characters into a value.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>Regular files only, refused before opening: on Unix the path is stat'ed (following symbolic links) and a FIFO,
/// socket, character or block device or directory is never opened. The file is then opened with <c>O_NONBLOCK</c> (so a FIFO swapped in
/// between cannot block the open) and <c>O_CLOEXEC</c>, and the opened descriptor is checked again with <c>fstat</c>. On Windows
/// directories, devices and the <c>\\.\</c> device namespace are refused by their attributes, and a handle that is not a disk file
/// cannot be read.</description></item>
/// <item><description>Bounded: at most <c>maxBytes + 1</c> bytes are ever read (the last one only to tell "too large"), whatever the file's reported length (0 for devices,
/// anything for a file that changes while it is read), into a buffer that grows only as the data arrives.</description></item>
/// <item><description>Strict UTF-8: a UTF-8 byte order mark is dropped; invalid UTF-8 or a UTF-16 file is an error that gives the line,
/// never the contents (a file may hold a secret).</description></item>
/// <item><description>Reads are synchronous: the file is a regular file of at most a few MiB, as <c>File.ReadAllText</c> would read it.</description></item>
/// </list>
/// </remarks>
internal static partial class BoundedFileReader
{
    private const int InitialBufferBytes = 4096;

    /// <summary>Reads a whole regular file as UTF-8 text of at most <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="path">The file. Symbolic links are followed; what they lead to must be a regular file.</param>
    /// <param name="maxBytes">The cap: a file with more bytes is refused without being read further.</param>
    /// <returns>The text, without a UTF-8 byte order mark; not trimmed.</returns>
    /// <exception cref="FileReadException">The file is missing, not a regular file, too large, not UTF-8, or cannot be read.</exception>
    public static string ReadText(string path, int maxBytes)
    {
        using SafeFileHandle handle = OpenRegularFile(path);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferBytes, Math.Max(maxBytes, 1)));
        int total = 0;
        try
        {
            while (true)
            {
                int capacity = Math.Min(buffer.Length, maxBytes);
                if (total == capacity)
                {
                    if (capacity == maxBytes)
                    {
                        // Full: one more byte means too large; the file's reported length is never trusted (0 for devices).
                        Span<byte> probe = stackalloc byte[1];
                        if (ReadAt(handle, probe, total) > 0)
                        {
                            throw new FileReadException(FileReadProblem.TooLarge, $"is larger than {DescribeSize(maxBytes)}");
                        }

                        break;
                    }

                    buffer = Grow(buffer, Math.Min(maxBytes, buffer.Length * 2));
                    continue;
                }

                int read = ReadAt(handle, buffer.AsSpan(total, capacity - total), total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return Decode(buffer.AsSpan(0, total));
        }
        finally
        {
            // The file may hold a token: nothing of it stays in the shared pool.
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>Gets "64 KiB" or "1 MiB" for messages and docs.</summary>
    public static string DescribeSize(int bytes) =>
        bytes % (1024 * 1024) == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024} KiB");

    private static byte[] Grow(byte[] buffer, int size)
    {
        byte[] larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan().CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        return larger;
    }

    private static int ReadAt(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        try
        {
            return RandomAccess.Read(handle, destination, offset);
        }
        catch (NotSupportedException ex)
        {
            // Only disk files can be read at an offset: a pipe or a device that got this far stops here.
            throw new FileReadException(FileReadProblem.NotRegularFile, "is not a regular file (it cannot be read at an offset)", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new FileReadException(FileReadProblem.AccessDenied, "cannot be read: permission denied", ex);
        }
        catch (IOException ex)
        {
            throw new FileReadException(FileReadProblem.Unreadable, $"cannot be read: {ex.GetType().Name}", ex);
        }
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            throw new FileReadException(FileReadProblem.InvalidEncoding, "is UTF-16 text (it starts with a UTF-16 byte order mark), not UTF-8");
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        if (!Utf8.IsValid(bytes))
        {
            int offset = 0;
            while (Rune.DecodeFromUtf8(bytes[offset..], out _, out int consumed) == OperationStatus.Done)
            {
                offset += consumed;
            }

            int line = bytes[..offset].Count((byte)'\n') + 1;
            throw new FileReadException(
                FileReadProblem.InvalidEncoding,
                string.Create(CultureInfo.InvariantCulture, $"is not valid UTF-8 text (line {line}, byte {offset + 1})"));
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private static SafeFileHandle OpenRegularFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return OpenOnWindows(path);
        }

        // Before opening: nothing that is not a regular file is ever opened (opening a FIFO blocks; opening a device may act).
        RefuseUnlessRegular(StatPath(path));
        SafeFileHandle handle = OpenNonBlocking(path);
        try
        {
            // After opening: the path may have been replaced in between; the descriptor is what will be read.
            RefuseUnlessRegular(StatHandle(handle));
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static SafeFileHandle OpenOnWindows(string path)
    {
        FileAttributes attributes;
        try
        {
            attributes = File.GetAttributes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FromException(ex);
        }

        if ((attributes & FileAttributes.Directory) != 0)
        {
            throw new FileReadException(FileReadProblem.Directory, "is a directory, not a file");
        }

        if ((attributes & FileAttributes.Device) != 0 || path.StartsWith(@"\\.\", StringComparison.Ordinal))
        {
            throw NotRegular("a device");
        }

        return OpenManaged(path);
    }

    private static SafeFileHandle OpenManaged(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FromException(ex);
        }
    }

    private static FileReadException FromException(Exception ex) =>
        ex switch
        {
            FileNotFoundException or DirectoryNotFoundException => new FileReadException(FileReadProblem.NotFound, "does not exist", ex),
            UnauthorizedAccessException => new FileReadException(FileReadProblem.AccessDenied, "cannot be read: permission denied", ex),
            _ => new FileReadException(FileReadProblem.Unreadable, $"cannot be read: {ex.GetType().Name}", ex),
        };
}
