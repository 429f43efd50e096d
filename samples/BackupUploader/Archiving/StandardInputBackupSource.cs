namespace BackupUploader.Archiving;

/// <summary>Standard input (path "-"), gzipped as is: <c>pg_dump mydb | BackupUploader - --bucket b</c>.</summary>
internal sealed class StandardInputBackupSource(Stream input) : BackupSource
{
    public override string Description => "standard input";

    public override string Name => "stdin";

    public override long ContentBytes => -1;

    public override bool IsTar => false;

    public override Task WriteAsync(Stream destination, CancellationToken cancellationToken) =>
        input.CopyToAsync(destination, 1 << 16, cancellationToken);
}
