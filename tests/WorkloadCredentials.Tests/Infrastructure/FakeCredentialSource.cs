namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>A hand-written source: returns fixed credentials, throws, or runs a delegate; counts its calls.</summary>
public sealed class FakeCredentialSource : IAwsCredentialSource
{
    private readonly Func<CancellationToken, ValueTask<AwsCredentials>> _behaviour;
    private int _calls;

    public FakeCredentialSource(Func<CancellationToken, ValueTask<AwsCredentials>> behaviour)
    {
        _behaviour = behaviour;
    }

    public int Calls => Volatile.Read(ref _calls);

    public static FakeCredentialSource Returning(AwsCredentials credentials) => new(_ => new ValueTask<AwsCredentials>(credentials));

    public static FakeCredentialSource Throwing(Exception exception) => new(_ => ValueTask.FromException<AwsCredentials>(exception));

    public static FakeCredentialSource Unavailable(string message, string? sourceName = null) =>
        Throwing(new CredentialUnavailableException(message, sourceName));

    public static AwsCredentials Credentials(string accessKeyId = "AKIDFAKE00000001", string sourceName = "Fake", DateTimeOffset? expiration = null) =>
        new(accessKeyId, "fake-secret-" + accessKeyId, "fake-token-" + accessKeyId, expiration, sourceName);

    public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return _behaviour(cancellationToken);
    }
}
