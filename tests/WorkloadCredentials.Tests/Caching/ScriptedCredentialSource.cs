namespace WorkloadCredentials.Tests.Caching;

/// <summary>A fake source whose next answer the test chooses; it counts every fetch.</summary>
internal sealed class ScriptedCredentialSource(TimeProvider time) : IAwsCredentialSource
{
    private int _calls;
    private int _issued;

    public enum Answer
    {
        None,
        Fresh,
        Stale,
        Error,
        NonRecoverable,
    }

    public Answer Next { get; set; }

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    public int Calls => Volatile.Read(ref _calls);

    public int UnexpectedCalls { get; private set; }

    /// <summary>When set, every fetch waits for it (slow or hanging sources).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        DateTimeOffset now = time.GetUtcNow();
        switch (Next)
        {
            case Answer.Fresh:
                int n = Interlocked.Increment(ref _issued);
                return new AwsCredentials($"AKID-NEW-{n}", "new-secret", "new-token", now + Lifetime, "Scripted");
            case Answer.Stale:
                return new AwsCredentials("AKID-STALE", "stale-secret", "stale-token", now, "Scripted");
            case Answer.Error:
                throw new AwsCredentialException("Scripted: the source is temporarily failing.", "Scripted", isRecoverable: true);
            case Answer.NonRecoverable:
                throw new AwsCredentialException("Scripted: access denied.", "Scripted", isRecoverable: false);
            default:
                UnexpectedCalls++;
                throw new AwsCredentialException("Scripted: called without an answer.", "Scripted", isRecoverable: true);
        }
    }
}
