namespace WorkloadCredentials.Internal;

/// <summary>
/// A late source of the AWS region for STS calls, asked only when neither the options nor <c>AWS_REGION</c>/<c>AWS_DEFAULT_REGION</c>
/// name one: the shared profile's <c>region</c>, or on EC2 the instance's placement region from IMDS.
/// </summary>
internal interface IRegionHint
{
    /// <summary>Gets a short description of where the region comes from, for logs and messages (e.g. <c>EC2 instance metadata</c>).</summary>
    string Description { get; }

    /// <summary>Gets the region, or <see langword="null"/> when this hint does not know it. Never throws for "not available".</summary>
    ValueTask<string?> GetRegionAsync(CancellationToken cancellationToken);
}
