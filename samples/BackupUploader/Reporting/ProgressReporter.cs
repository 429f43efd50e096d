using System.Diagnostics;
using System.Text;
using BackupUploader.Upload;

namespace BackupUploader.Reporting;

/// <summary>
/// Shows progress: a redrawn bar on a terminal, plain lines (every 10 % or 10 s) when output is redirected to a file or a pipe.
/// </summary>
internal sealed class ProgressReporter : IUploadProgress, IAsyncDisposable
{
    private const int BarWidth = 24;
    private readonly TextWriter _output;
    private readonly bool _interactive;
    private readonly long _expectedContentBytes;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private readonly Func<int> _width;
    private long _contentBytes;
    private long _uploadedBytes;
    private int _parts;
    private int _lastPlainDecile = -1;
    private long _lastPlainLine = Stopwatch.GetTimestamp();
    private int _lastWidth;

    public ProgressReporter(TextWriter output, bool interactive, long expectedContentBytes, Func<int>? terminalWidth = null)
    {
        _width = terminalWidth ?? ConsoleWidth;
        _output = output;
        _interactive = interactive;
        _expectedContentBytes = expectedContentBytes;
        _loop = RenderLoopAsync();
    }

    public long UploadedBytes => Interlocked.Read(ref _uploadedBytes);

    public void AddContentBytes(long bytes) => Interlocked.Add(ref _contentBytes, bytes);

    public void UploadStarted(string uploadId) => WriteLine($"Multipart upload {Shorten(uploadId)} started.");

    public void PartUploaded(int partNumber, long bytes)
    {
        Interlocked.Add(ref _uploadedBytes, bytes);
        Interlocked.Increment(ref _parts);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Render(final: true);
        _stop.Dispose();
    }

    private async Task RenderLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_interactive ? 200 : 500));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Render(final: false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Render(bool final)
    {
        long content = Interlocked.Read(ref _contentBytes);
        long uploaded = Interlocked.Read(ref _uploadedBytes);
        int parts = Volatile.Read(ref _parts);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(_started);
        double fraction = _expectedContentBytes > 0 ? Math.Min(1, (double)content / _expectedContentBytes) : -1;

        var line = new StringBuilder();
        if (fraction >= 0)
        {
            int filled = (int)(fraction * BarWidth);
            line.Append('[').Append('#', filled).Append('-', BarWidth - filled).Append("] ")
                .Append(((int)(fraction * 100)).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(3)).Append("%  ")
                .Append(Format.Bytes(content)).Append(" / ").Append(Format.Bytes(_expectedContentBytes)).Append(" archived");
        }
        else
        {
            line.Append(Format.Bytes(content)).Append(" archived");
        }

        line.Append(" | ").Append(Format.Bytes(uploaded)).Append(" uploaded in ").Append(parts).Append(parts == 1 ? " part" : " parts")
            .Append(" | ").Append(Format.Rate(uploaded, elapsed));

        lock (_gate)
        {
            if (_interactive)
            {
                string text = line.ToString();
                if (_width() is > 20 and var width && text.Length >= width)
                {
                    text = text[..(width - 1)]; // a wrapped line could not be redrawn in place
                }

                _output.Write("\r" + text.PadRight(_lastWidth));
                _lastWidth = text.Length;
                if (final)
                {
                    _output.WriteLine();
                }

                _output.Flush();
                return;
            }

            int decile = fraction >= 0 ? (int)(fraction * 10) : -1;
            bool due = Stopwatch.GetElapsedTime(_lastPlainLine) >= TimeSpan.FromSeconds(10);
            if (final || decile > _lastPlainDecile || due)
            {
                _lastPlainDecile = Math.Max(decile, _lastPlainDecile);
                _lastPlainLine = Stopwatch.GetTimestamp();
                _output.WriteLine(line.ToString());
                _output.Flush();
            }
        }
    }

    private void WriteLine(string text)
    {
        lock (_gate)
        {
            if (_interactive && _lastWidth > 0)
            {
                _output.Write("\r" + new string(' ', _lastWidth) + "\r");
                _lastWidth = 0;
            }

            _output.WriteLine(text);
            _output.Flush();
        }
    }

    private static int ConsoleWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string Shorten(string id) => id.Length <= 16 ? id : id[..12] + "...";
}
