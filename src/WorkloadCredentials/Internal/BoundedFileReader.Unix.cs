using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace WorkloadCredentials.Internal;

/// <summary>The Unix side of <see cref="BoundedFileReader"/>: the file type from <c>stat</c>, the non-blocking open, the errno words.</summary>
internal static partial class BoundedFileReader
{
    // PAL file types of System.Native's FileStatus.Mode (the runtime's own stat wrapper; the same on every Unix).
    private const int TypeMask = 0xF000;
    private const int TypeFifo = 0x1000;
    private const int TypeCharacterDevice = 0x2000;
    private const int TypeDirectory = 0x4000;
    private const int TypeBlockDevice = 0x6000;
    private const int TypeRegular = 0x8000;
    private const int TypeSocket = 0xC000;
    private const int TypeUnknown = -1;

    // errno values shared by Linux, macOS and FreeBSD.
    private const int ErrorNotPermitted = 1;
    private const int ErrorNoEntry = 2;
    private const int ErrorNoDeviceOrAddress = 6;
    private const int ErrorAccess = 13;
    private const int ErrorNotDirectory = 20;

    private static void RefuseUnlessRegular(int type)
    {
        switch (type)
        {
            case TypeRegular or TypeUnknown:
                return;
            case TypeDirectory:
                throw new FileReadException(FileReadProblem.Directory, "is a directory, not a file");
            case TypeFifo:
                throw NotRegular("a FIFO (named pipe)");
            case TypeSocket:
                throw NotRegular("a socket");
            case TypeCharacterDevice:
                throw NotRegular("a character device");
            case TypeBlockDevice:
                throw NotRegular("a block device");
            default:
                throw NotRegular("a special file");
        }
    }

    private static FileReadException NotRegular(string what) =>
        new(FileReadProblem.NotRegularFile, $"is {what}, not a regular file; it is refused because reading it could block or never end");

    private static int StatPath(string path)
    {
        try
        {
            return Native.Stat(path, out FileStatus status) == 0 ? status.Mode & TypeMask : throw FromErrno(Marshal.GetLastPInvokeError());
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            // A runtime without the entry point: the non-blocking open and the bounded read still hold.
            return TypeUnknown;
        }
    }

    private static int StatHandle(SafeFileHandle handle)
    {
        try
        {
            return Native.FStat(handle, out FileStatus status) == 0 ? status.Mode & TypeMask : throw FromErrno(Marshal.GetLastPInvokeError());
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return TypeUnknown;
        }
    }

    private static SafeFileHandle OpenNonBlocking(string path)
    {
        int? flags = NonBlockingReadFlags();
        if (flags is null)
        {
            // A Unix without known flag values: the path was checked just before.
            return OpenManaged(path);
        }

        int descriptor = Native.Open(path, flags.Value);
        if (descriptor < 0)
        {
            throw FromErrno(Marshal.GetLastPInvokeError());
        }

        return new SafeFileHandle(descriptor, ownsHandle: true);
    }

    /// <summary>Gets <c>O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY</c> for this operating system.</summary>
    private static int? NonBlockingReadFlags()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsAndroid())
        {
            return 0x800 | 0x80000 | 0x100;
        }

        if (OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS() || OperatingSystem.IsMacCatalyst())
        {
            return 0x4 | 0x1000000 | 0x20000;
        }

        return OperatingSystem.IsFreeBSD() ? 0x4 | 0x100000 | 0x8000 : null;
    }

    private static FileReadException FromErrno(int errno) =>
        errno switch
        {
            ErrorNoEntry or ErrorNotDirectory => new FileReadException(FileReadProblem.NotFound, "does not exist"),
            ErrorAccess or ErrorNotPermitted => new FileReadException(FileReadProblem.AccessDenied, "cannot be read: permission denied"),
            ErrorNoDeviceOrAddress => NotRegular("a socket or a device with nothing behind it"),
            _ => new FileReadException(FileReadProblem.Unreadable, $"cannot be read: {Marshal.GetPInvokeErrorMessage(errno)}"),
        };

    /// <summary>The start of System.Native's <c>FileStatus</c> (flags, then the mode with the file type); room for the rest.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        public static partial int Open(string path, int flags);

        [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        public static partial int Stat(string path, out FileStatus status);

        [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
        public static partial int FStat(SafeFileHandle handle, out FileStatus status);
    }
}
