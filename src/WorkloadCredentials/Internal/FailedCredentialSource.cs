namespace WorkloadCredentials.Internal;

/// <summary>
/// Stands in for a source that cannot be built: not configured (<see cref="CredentialUnavailableException"/>, the chain moves on) or
/// configured wrongly (a non-recoverable <see cref="AwsCredentialException"/>, the chain stops). Each call throws a fresh exception.
/// </summary>
internal sealed class FailedCredentialSource : IAwsCredentialSource
{
    private readonly string _message;
    private readonly string _sourceName;
    private readonly bool _unavailable;

    private FailedCredentialSource(string message, string sourceName, bool unavailable)
    {
        _message = message;
        _sourceName = sourceName;
        _unavailable = unavailable;
    }

    /// <summary>Gets the reason the source cannot serve credentials.</summary>
    public string Reason => _message;

    /// <summary>Gets whether the source is merely not configured (rather than configured wrongly).</summary>
    public bool IsUnavailable => _unavailable;

    public static FailedCredentialSource Unavailable(string message, string sourceName) => new(message, sourceName, unavailable: true);

    public static FailedCredentialSource Misconfigured(AwsCredentialException error) =>
        new(error.Message, error.SourceName ?? "unknown", unavailable: false);

    public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromException<AwsCredentials>(_unavailable
            ? new CredentialUnavailableException(_message, _sourceName)
            : new AwsCredentialException(_message, _sourceName, isRecoverable: false));
    }
}
