using System.Runtime.ExceptionServices;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace WorkloadCredentials.AwsSdk.Internal;

/// <summary>
/// Hooks every AWS SDK client built after the first <see cref="WorkloadAwsCredentials"/>: a handler just inside the retry handler
/// invalidates rejected credentials of ours and marks the error retryable; one just outside it hands the caller the service's own
/// exception when no retry followed. Requests signed with other credentials are left alone.
/// </summary>
internal sealed class RejectedCredentialsPipeline : IRuntimePipelineCustomizer
{
    // Registered once per process, on first use (the SDK's registry is process-wide too).
    private static readonly Lazy<RejectedCredentialsPipeline> Registration = new(static () =>
    {
        var pipeline = new RejectedCredentialsPipeline();
        RuntimePipelineCustomizerRegistry.Instance.Register(pipeline);
        return pipeline;
    });

    public string UniqueName => "WorkloadCredentials.RejectedCredentials";

    public static void EnsureRegistered() => _ = Registration.Value;

    public void Customize(Type type, RuntimePipeline pipeline)
    {
        try
        {
            pipeline.AddHandlerAfter<RetryHandler>(new Invalidate());
            pipeline.AddHandlerBefore<RetryHandler>(new Unwrap());
        }
        catch (InvalidOperationException)
        {
            // A client without the standard retry handler: nothing to hook, its requests are not retried anyway.
        }
    }

    /// <summary>Inside the retry handler: invalidates, and marks the rejection retryable.</summary>
    internal sealed class Invalidate : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            try
            {
                base.InvokeSync(executionContext);
            }
            catch (AmazonServiceException ex) when (RejectedCredentials.TryInvalidate(executionContext.RequestContext, ex))
            {
                throw new CredentialsRejectedException(ex);
            }
        }

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            try
            {
                return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            }
            catch (AmazonServiceException ex) when (RejectedCredentials.TryInvalidate(executionContext.RequestContext, ex))
            {
                throw new CredentialsRejectedException(ex);
            }
        }
    }

    /// <summary>Outside the retry handler: the caller sees the service's exception, never the marker.</summary>
    internal sealed class Unwrap : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            try
            {
                base.InvokeSync(executionContext);
            }
            catch (CredentialsRejectedException ex)
            {
                ExceptionDispatchInfo.Throw(ex.Rejection);
            }
        }

        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            try
            {
                return await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            }
            catch (CredentialsRejectedException ex)
            {
                ExceptionDispatchInfo.Throw(ex.Rejection);
                throw;
            }
        }
    }
}
