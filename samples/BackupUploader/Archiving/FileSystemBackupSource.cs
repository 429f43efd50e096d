using System.Formats.Tar;

namespace BackupUploader.Archiving;

/// <summary>A file or a folder (recursively; symbolic links are stored as links, not followed).</summary>
internal sealed class FileSystemBackupSource : BackupSource
{
    private readonly string _root;
    private readonly List<(string Path, string EntryName)> _entries;

    private FileSystemBackupSource(string root, List<(string Path, string EntryName)> entries, long contentBytes, int fileCount, bool isDirectory)
    {
        _root = root;
        _entries = entries;
        ContentBytes = contentBytes;
        Name = System.IO.Path.GetFileName(root.TrimEnd(System.IO.Path.DirectorySeparatorChar)) is { Length: > 0 } name ? name : "root";
        Description = isDirectory
            ? $"folder {root} ({fileCount:N0} files, {Format.Bytes(contentBytes)})"
            : $"file {root} ({Format.Bytes(contentBytes)})";
    }

    public override string Description { get; }

    public override string Name { get; }

    public override long ContentBytes { get; }

    /// <summary>Checks that the path exists and that every file under it can be opened, before anything is sent to S3.</summary>
    /// <exception cref="BackupInputException">The path is missing or something under it cannot be read.</exception>
    public static FileSystemBackupSource Inspect(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        var entries = new List<(string, string)>();
        if (File.Exists(full))
        {
            long size = CheckReadable(full);
            entries.Add((full, System.IO.Path.GetFileName(full)));
            return new FileSystemBackupSource(full, entries, size, 1, isDirectory: false);
        }

        if (!Directory.Exists(full))
        {
            // A path under a folder we may not enter looks missing: say which folder is the problem.
            for (DirectoryInfo? ancestor = new DirectoryInfo(full).Parent; ancestor is not null; ancestor = ancestor.Parent)
            {
                if (ancestor.Exists)
                {
                    try
                    {
                        _ = Directory.EnumerateFileSystemEntries(ancestor.FullName).FirstOrDefault();
                    }
                    catch (UnauthorizedAccessException ex)
                    {
                        throw Unreadable(ancestor.FullName, "folder", ex);
                    }

                    break;
                }
            }

            throw new BackupInputException(
                $"The path '{path}' does not exist (resolved to '{full}'). Pass an existing file or folder to back up, or run without a path to upload a generated sample to the local emulator.");
        }

        string rootName = System.IO.Path.GetFileName(full.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        long total = 0;
        int files = 0;
        var pending = new Stack<(string Dir, string EntryName)>();
        pending.Push((full, rootName));
        while (pending.Count > 0)
        {
            (string dir, string entryName) = pending.Pop();
            entries.Add((dir, entryName + "/"));
            IEnumerable<string> children;
            try
            {
                children = Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal).ToList();
            }
            catch (UnauthorizedAccessException ex)
            {
                throw Unreadable(dir, "folder", ex);
            }

            foreach (string child in children)
            {
                string childEntry = entryName + "/" + System.IO.Path.GetFileName(child);
                var info = new FileInfo(child);
                if (info.LinkTarget is not null)
                {
                    entries.Add((child, childEntry)); // stored as a link
                }
                else if (info.Attributes.HasFlag(FileAttributes.Directory))
                {
                    pending.Push((child, childEntry));
                }
                else
                {
                    total += CheckReadable(child);
                    files++;
                    entries.Add((child, childEntry));
                }
            }
        }

        return new FileSystemBackupSource(full, entries, total, files, isDirectory: true);
    }

    public override async Task WriteAsync(Stream destination, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        foreach ((string path, string entryName) in _entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await writer.WriteEntryAsync(path, entryName, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new BackupInputException(
                    $"Reading '{path}' failed while it was being archived ({ex.Message}). The upload was aborted and nothing was stored. Make sure nothing deletes or locks files under '{_root}' during the backup (back up a snapshot), then run again.",
                    ex);
            }
        }
    }

    private static long CheckReadable(string file)
    {
        try
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return RandomAccess.GetLength(handle);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Unreadable(file, "file", ex);
        }
        catch (IOException ex)
        {
            throw new BackupInputException($"The file '{file}' cannot be opened ({ex.Message}). Close the program that holds it or back up a snapshot, then run again.", ex);
        }
    }

    private static BackupInputException Unreadable(string path, string kind, Exception ex) =>
        new($"The {kind} '{path}' cannot be read: permission denied. Nothing was uploaded. Give the user running the uploader read access to it (for example chmod o+r, or run as its owner), or leave it out of the backup, then run again.", ex);
}
