namespace WorkloadCredentials.Diagnostics.Internal;

/// <summary>Where <c>sts:GetCallerIdentity</c> goes, and which setting said so (for messages).</summary>
/// <param name="Region">The region that signs the call.</param>
/// <param name="RegionOrigin">The option, <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the profile's <c>region</c>, or the default.</param>
/// <param name="Endpoint">The configured endpoint, or <see langword="null"/> for the regional endpoint of <paramref name="Region"/>.</param>
/// <param name="EndpointOrigin">The setting that configured <paramref name="Endpoint"/>.</param>
internal sealed record StsTarget(string Region, string RegionOrigin, Uri? Endpoint, string? EndpointOrigin)
{
    /// <summary>The region used when nothing names one: STS answers in every region, and us-east-1 is the AWS CLI's choice too.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>Describes the endpoint for messages: <c>http://127.0.0.1:5000/ (from AWS_ENDPOINT_URL_STS)</c> or <c>the regional STS endpoint of eu-west-1 (from AWS_REGION)</c>.</summary>
    public string DescribeEndpoint() =>
        Endpoint is { } endpoint ? $"{endpoint} (from {EndpointOrigin})" : $"the regional STS endpoint of {Region} (from {RegionOrigin})";
}
