namespace WorkloadCredentials.Sts.Internal;

/// <summary>The outcome of one STS operation (retries included): a response or a classified failure.</summary>
/// <typeparam name="TResponse">The SDK response type.</typeparam>
/// <param name="Response">The response, when the call succeeded.</param>
/// <param name="Failure">The failure, when it did not.</param>
/// <param name="Attempts">How many requests were sent.</param>
internal readonly record struct StsResult<TResponse>(TResponse? Response, StsFailure? Failure, int Attempts);
