namespace WorkloadCredentials.Tests.Sts.Fakes;

/// <summary>A source that returns queued credentials (the last one repeats) and counts calls; optionally a cache that records invalidations.</summary>
public sealed class QueuedCredentialSource(params AwsCredentials[] credentials) : ICachedAwsCredentialSource
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public List<string> Invalidated { get; } = [];

    public Exception? Error { get; set; }

    public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        int call = Interlocked.Increment(ref _calls) - 1;
        if (Error is { } error)
        {
            return ValueTask.FromException<AwsCredentials>(error);
        }

        return ValueTask.FromResult(credentials[Math.Min(call, credentials.Length - 1)]);
    }

    public void Invalidate(string rejectedAccessKeyId) => Invalidated.Add(rejectedAccessKeyId);

    public void Dispose()
    {
    }
}
