using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using System.Text;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.Profiles.Internal;

/// <summary>The bounded reading of the program's output pipes.</summary>
internal sealed partial class CredentialProcessRunner
{
    /// <summary>
    /// Reads a pipe into a buffer of at most <c>limit</c> bytes. At the limit it either stops (standard output: the caller then stops
    /// the program) or keeps draining and drops the rest (standard error: a chatty program must not block on a full pipe). Never throws:
    /// a read that fails or is stopped ends the text where it is.
    /// </summary>
    private sealed class BoundedPipeReader(Stream stream, int limit, bool stopAtLimit)
    {
        private readonly object _gate = new();
        private byte[] _kept = new byte[Math.Min(limit, 4096)];
        private int _count;

        public bool LimitReached { get; private set; }

        public async Task ReadAsync(CancellationToken cancellationToken)
        {
            byte[] buffer = new byte[8192];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    int room;
                    lock (_gate)
                    {
                        room = limit - _count;
                        int take = Math.Min(room, read);
                        if (_count + take > _kept.Length)
                        {
                            Array.Resize(ref _kept, Math.Min(limit, Math.Max(_kept.Length * 2, _count + take)));
                        }

                        buffer.AsSpan(0, take).CopyTo(_kept.AsSpan(_count));
                        _count += take;
                    }

                    if (read > room)
                    {
                        LimitReached = true;
                        if (stopAtLimit)
                        {
                            return;
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // Stopped (timeout, grace over, program killed): the text ends here.
            }
        }

        /// <summary>The bytes kept, as UTF-8 (invalid bytes become U+FFFD, which the value checks reject), without a byte order mark.</summary>
        public string GetText()
        {
            string text;
            lock (_gate)
            {
                // A read stopped at the grace may still be running: take what is there now.
                text = Encoding.UTF8.GetString(_kept, 0, _count);
            }

            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
    }
}
