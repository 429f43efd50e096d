using System.Diagnostics;

namespace WorkloadCredentials.Internal.Telemetry;

/// <summary>Service calls (STS, instance metadata, container endpoints) and the spans of the sources a chain tries.</summary>
internal sealed partial class CredentialTelemetry
{
    /// <summary>Starts a call to <paramref name="service"/>: a client span named <c>{service}.{operation}</c>, child of the current span.</summary>
    /// <param name="service"><see cref="TelemetryTags.Sts"/>, <see cref="TelemetryTags.Imds"/> or <see cref="TelemetryTags.Container"/>.</param>
    /// <param name="operation">The operation (<c>AssumeRole</c>, <c>GetToken</c>, ...): a fixed name, never a value from a request.</param>
    /// <param name="host">The host called.</param>
    /// <param name="sourceName">The source calling.</param>
    /// <param name="roleArn">The role an STS call asks for, or <see langword="null"/>.</param>
    public ServiceCall StartCall(string service, string operation, string host, string sourceName, string? roleArn = null)
    {
        Activity? activity = StartActivity(service + "." + operation, ActivityKind.Client);
        if (activity is not null)
        {
            _ = activity.SetTag(TelemetryTags.Service, service)
                .SetTag(TelemetryTags.Operation, operation)
                .SetTag(TelemetryTags.ServerAddress, host)
                .SetTag(TelemetryTags.Source, sourceName);
            if (roleArn is not null)
            {
                _ = activity.SetTag(TelemetryTags.RoleArn, roleArn);
            }
        }

        return new ServiceCall(Instruments, activity, service, operation);
    }

    /// <summary>Starts the span of one source a chain tries (ended by disposing it).</summary>
    public static Activity? StartSource(string sourceName) =>
        StartActivity(TelemetryTags.SourceSpan, ActivityKind.Internal)?.SetTag(TelemetryTags.Source, sourceName);

    /// <summary>Records how a source span ended: <see cref="TelemetryTags.Success"/>, <see cref="TelemetryTags.Unavailable"/> or a failure.</summary>
    public static void EndSource(Activity? span, string outcome, Exception? error = null)
    {
        if (span is null)
        {
            return;
        }

        _ = span.SetTag(TelemetryTags.Outcome, outcome);
        if (error is not null)
        {
            _ = span.SetTag(TelemetryTags.ErrorType, ErrorType(error)).SetStatus(ActivityStatusCode.Error);
        }
        else if (outcome == TelemetryTags.Success)
        {
            _ = span.SetStatus(ActivityStatusCode.Ok);
        }
    }
}
