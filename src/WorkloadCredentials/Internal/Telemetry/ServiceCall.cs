using System.Diagnostics;

namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>
/// One call to STS, instance metadata or a container endpoint, retries included: its span and, when it ends, one count on
/// <see cref="CredentialInstruments.ServiceCalls"/> with its outcome and the attempts it took. Dispose ends it; a call disposed with
/// no outcome counts as a failure (<c>error.type</c> <c>_OTHER</c>).
/// </summary>
internal sealed class ServiceCall : IDisposable
{
    private readonly CredentialInstruments _instruments;
    private readonly string _service;
    private readonly string _operation;
    private int _attempts;
    private bool _ended;

    internal ServiceCall(CredentialInstruments instruments, Activity? activity, string service, string operation)
    {
        _instruments = instruments;
        Activity = activity;
        _service = service;
        _operation = operation;
    }

    public Activity? Activity { get; }

    /// <summary>Gets the attempts made so far.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Counts one attempt (called by the attempt itself, inside the retry pipeline).</summary>
    public void CountAttempt() => Interlocked.Increment(ref _attempts);

    /// <summary>Ends the call with an HTTP answer: 2xx is a success, anything else a failure of that status.</summary>
    public void Answered(int statusCode) =>
        End(statusCode is >= 200 and < 300 ? null : statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), statusCode);

    public void Succeeded() => End(errorType: null, statusCode: null);

    /// <param name="errorType">An exception type name, a failure kind or a status code: never text from an answer.</param>
    /// <param name="statusCode">The HTTP status, when there was an answer.</param>
    public void Failed(string errorType, int? statusCode = null) => End(errorType, statusCode);

    public void Dispose()
    {
        if (!_ended)
        {
            End("_OTHER", statusCode: null);
        }

        Activity?.Dispose();
    }

    private void End(string? errorType, int? statusCode)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        var tags = new TagList
        {
            { TelemetryTags.Service, _service },
            { TelemetryTags.Operation, _operation },
            { TelemetryTags.Outcome, errorType is null ? TelemetryTags.Success : TelemetryTags.Failure },
            { TelemetryTags.Attempts, Attempts },
        };
        if (errorType is not null)
        {
            tags.Add(TelemetryTags.ErrorType, errorType);
        }

        _instruments.ServiceCallCounter.Add(1, tags);
        if (statusCode is { } status)
        {
            _ = Activity?.SetTag(TelemetryTags.HttpStatusCode, status);
        }

        CredentialTelemetry.Complete(Activity, tags, succeeded: errorType is null);
    }
}
