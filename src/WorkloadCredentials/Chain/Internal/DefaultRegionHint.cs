using WorkloadCredentials.InstanceMetadata.Internal;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.Chain.Internal;

/// <summary>
/// The region for STS when neither the options nor <c>AWS_REGION</c>/<c>AWS_DEFAULT_REGION</c> name one: the selected
/// profile's <c>region</c>, then on EC2 the instance's placement region (asked of IMDS when an STS client is first built).
/// </summary>
/// <remarks>
/// The instance's region is asked once per STS client (each keeps its client), through an IMDS client created for the question and
/// disposed after it: the hint holds nothing open. A region found is kept for the next STS client of the chain.
/// </remarks>
internal sealed class DefaultRegionHint(CredentialSourceContext context, Func<string, string?> profileSettings) : IRegionHint
{
    private string? _description;
    private volatile string? _instanceRegion;

    public string Description => _description ?? "the shared config profile's region or the EC2 instance's placement region";

    public async ValueTask<string?> GetRegionAsync(CancellationToken cancellationToken)
    {
        if (profileSettings("region") is { Length: > 0 } profileRegion)
        {
            _description = "region in the shared config profile";
            return profileRegion.Trim();
        }

        // Instance metadata left out of the default chain is not asked for the region either.
        if (context.Options.ExcludeInstanceMetadata)
        {
            return null;
        }

        string? instanceRegion = _instanceRegion;
        if (instanceRegion is null)
        {
            using ImdsClient client = ImdsClient.Create(context, profileSettings);
            instanceRegion = await client.GetRegionAsync(cancellationToken).ConfigureAwait(false);
            _instanceRegion = instanceRegion;
        }

        if (instanceRegion is not null)
        {
            _description = "the EC2 instance's placement region (instance metadata)";
        }

        return instanceRegion;
    }
}
