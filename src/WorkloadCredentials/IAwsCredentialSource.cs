namespace WorkloadCredentials;

/// <summary>
/// A source of AWS credentials: the one seam every part of the library, and every custom source, shares.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>A source that is not configured, or cannot be reached, throws <see cref="CredentialUnavailableException"/>: a chain moves on to its next source.</description></item>
/// <item><description>A source that is configured but fails throws <see cref="AwsCredentialException"/>: a chain stops there and never falls through to a different identity.</description></item>
/// <item><description>The sources returned by <see cref="AwsCredentialSources"/> and by dependency injection are cached: a cache hit completes synchronously, takes no lock and allocates nothing.</description></item>
/// <item><description>A source is disposable: its owner disposes it (the dependency injection container; <see langword="using"/> on what
/// <see cref="AwsCredentialSources"/> returns; a chain or a cache the sources it was given). The built-in sources close their
/// connections and timers then, and answer <see cref="ObjectDisposedException"/> afterwards; disposing twice does nothing.
/// A custom source that holds nothing need not implement <see cref="IDisposable.Dispose"/> or <see cref="IAsyncDisposable.DisposeAsync"/>:
/// both do nothing by default. One that holds something implements <see cref="IDisposable.Dispose"/> (its own public method wins).</description></item>
/// </list>
/// </remarks>
public interface IAwsCredentialSource : IDisposable, IAsyncDisposable
{
    /// <summary>Gets credentials to sign AWS requests with.</summary>
    /// <param name="cancellationToken">Cancels the caller's wait. A refresh shared with other callers is not cancelled.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="CredentialUnavailableException">The source is not configured or cannot be reached.</exception>
    /// <exception cref="AwsCredentialException">The source is configured but failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default);

    /// <summary>Releases what the source holds; by default nothing.</summary>
    void IDisposable.Dispose() => GC.SuppressFinalize(this);

    /// <summary>Releases what the source holds; by default calls <see cref="IDisposable.Dispose"/>.</summary>
    /// <returns>A completed task.</returns>
    ValueTask IAsyncDisposable.DisposeAsync()
    {
        ((IDisposable)this).Dispose();
        GC.SuppressFinalize(this);
        return default;
    }
}
