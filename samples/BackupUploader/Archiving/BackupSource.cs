namespace BackupUploader.Archiving;

/// <summary>Something to back up: written as an uncompressed tar (or raw bytes for standard input) into a stream that compresses it.</summary>
internal abstract class BackupSource
{
    /// <summary>Gets a short description for the summary, e.g. "folder ./data (12 files)".</summary>
    public abstract string Description { get; }

    /// <summary>Gets the name the default object key starts with.</summary>
    public abstract string Name { get; }

    /// <summary>Gets the bytes of file content to archive, or -1 when unknown (standard input). Drives the progress bar.</summary>
    public abstract long ContentBytes { get; }

    /// <summary>Gets a value indicating whether <see cref="WriteAsync"/> writes a tar archive (otherwise raw bytes).</summary>
    public virtual bool IsTar => true;

    /// <summary>Gets the object key's extension.</summary>
    public string Extension => IsTar ? ".tar.gz" : ".gz";

    /// <summary>Writes the archive (uncompressed) to <paramref name="destination"/>.</summary>
    public abstract Task WriteAsync(Stream destination, CancellationToken cancellationToken);
}
