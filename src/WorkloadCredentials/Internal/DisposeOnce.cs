namespace WorkloadCredentials.Internal;

/// <summary>
/// The disposal state of a source: disposing is idempotent (the first call wins, the others do nothing), and a call after it
/// throws an <see cref="ObjectDisposedException"/> that names the source.
/// </summary>
internal sealed class DisposeOnce(string sourceName)
{
    private int _disposed;

    /// <summary>Gets a value indicating whether the source has been disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Marks the source disposed; <see langword="true"/> for the first call only, the one that releases what the source holds.</summary>
    public bool TryDispose() => Interlocked.Exchange(ref _disposed, 1) == 0;

    /// <summary>Throws when the source has been disposed.</summary>
    /// <exception cref="ObjectDisposedException">The source has been disposed.</exception>
    public void ThrowIfDisposed()
    {
        if (IsDisposed)
        {
            throw Disposed(sourceName);
        }
    }

    /// <summary>The error a disposed source answers with, naming it.</summary>
    public static ObjectDisposedException Disposed(string sourceName) =>
        new(
            sourceName,
            $"{sourceName}: the credential source has been disposed, so it serves no more credentials. Its owner disposed it (a chain, a cache or the dependency injection container disposes the sources it owns); create a new one.");
}
