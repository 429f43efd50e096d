namespace WorkloadCredentials.Profiles.Internal;

/// <summary>How the STS steps of a profile chain reach STS: region, configured endpoint, FIPS and dual-stack switches.</summary>
internal sealed record ProfileStsSettings
{
    public ProfileStsSettings(string? region, Uri? endpoint, string? endpointOrigin, bool? useFips, bool? useDualStack)
    {
        Region = region;
        Endpoint = endpoint;
        EndpointOrigin = endpointOrigin;
        UseFips = useFips;
        UseDualStack = useDualStack;
    }

    /// <summary>Gets the region: options, <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, then the selected profile's <c>region</c>; <see langword="null"/> when none is set.</summary>
    public string? Region { get; }

    /// <summary>Gets the configured STS endpoint (see <see cref="ProfileEndpointResolver"/>), or <see langword="null"/> for the default endpoint of the region.</summary>
    public Uri? Endpoint { get; }

    /// <summary>Gets which setting gave <see cref="Endpoint"/>, for messages.</summary>
    public string? EndpointOrigin { get; }

    /// <summary>Gets <c>AWS_USE_FIPS_ENDPOINT</c> or the profile's <c>use_fips_endpoint</c>, or <see langword="null"/> when neither is set.</summary>
    public bool? UseFips { get; }

    /// <summary>Gets <c>AWS_USE_DUALSTACK_ENDPOINT</c> or the profile's <c>use_dualstack_endpoint</c>, or <see langword="null"/> when neither is set.</summary>
    public bool? UseDualStack { get; }
}
