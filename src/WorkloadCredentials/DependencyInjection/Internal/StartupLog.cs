using Microsoft.Extensions.Logging;
using WorkloadCredentials.Internal;

namespace WorkloadCredentials.DependencyInjection.Internal;

/// <summary>Log events of the start-up service. Event ids 1800-1899; they never change meaning.</summary>
internal static partial class StartupLog
{
    [LoggerMessage(EventId = LogEventIds.DependencyInjection, EventName = "CredentialsWarmedUp", Level = LogLevel.Information,
        Message = "AWS credentials '{Registration}' resolved at start-up from {SourceName} ({AccessKeyId}); they expire at {Expiration}.")]
    public static partial void WarmedUp(ILogger logger, string registration, string sourceName, string accessKeyId, DateTimeOffset? expiration);

    [LoggerMessage(EventId = LogEventIds.DependencyInjection + 1, EventName = "CredentialsWarmUpFailed", Level = LogLevel.Warning,
        Message = "No AWS credentials at start-up; requests will try again. {Failures}")]
    public static partial void WarmUpFailed(ILogger logger, string failures);

    [LoggerMessage(EventId = LogEventIds.DependencyInjection + 2, EventName = "SdkClientsNotWired", Level = LogLevel.Warning,
        Message = "AWS SDK clients added with AddAWSService ({Clients}) do not sign with WorkloadCredentials: no AWSOptions hands them its credentials, so they would use the AWS SDK's own credential chain, possibly another identity. Fix: reference the WorkloadCredentials.AwsSdk.Extensions package and call services.AddWorkloadCredentials(configuration.GetSection(\"AWS\")).")]
    public static partial void SdkClientsNotWired(ILogger logger, string clients);
}
