using System.IO.Compression;
using System.IO.Pipelines;

namespace BackupUploader.Archiving;

/// <summary>
/// Runs a <see cref="BackupSource"/> through gzip into a pipe on a background task and exposes the compressed bytes as a
/// readable stream. The pipe holds at most a few MiB: the archive is never wholly in memory. An error while archiving
/// surfaces to the reader, which aborts the upload.
/// </summary>
internal sealed class CompressedArchiveStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Pipe _pipe;

    private CompressedArchiveStream(Pipe pipe, CancellationTokenSource stop, Task producer)
    {
        _pipe = pipe;
        _stop = stop;
        Producer = producer;
        Reader = pipe.Reader.AsStream();
    }

    /// <summary>Gets the compressed archive.</summary>
    public Stream Reader { get; }

    /// <summary>Gets the background task that writes the archive.</summary>
    public Task Producer { get; }

    public static CompressedArchiveStream Start(BackupSource source, CompressionLevel level, Action<long>? onContentBytes, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20, useSynchronizationContext: false));
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task producer = Task.Run(
            async () =>
            {
                Exception? error = null;
                try
                {
                    await using Stream pipeStream = pipe.Writer.AsStream(leaveOpen: true);
                    await using var gzip = new GZipStream(pipeStream, level, leaveOpen: true);
                    await using var counting = new CountingWriteStream(gzip, onContentBytes);
                    await source.WriteAsync(counting, stop.Token);
                }
                catch (Exception ex)
                {
                    error = ex;
                }

                await pipe.Writer.CompleteAsync(error);
            },
            CancellationToken.None);
        return new CompressedArchiveStream(pipe, stop, producer);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pipe.Reader.CompleteAsync();
        try
        {
            // Never throws (errors go to the reader), but a source blocked in a read that ignores cancellation (standard input)
            // may not stop: do not wait for it forever.
            await Producer.WaitAsync(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }
        catch (TimeoutException)
        {
        }
    }
}
