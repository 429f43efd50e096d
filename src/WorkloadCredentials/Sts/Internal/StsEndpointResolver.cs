using System.Globalization;

namespace WorkloadCredentials.Sts.Internal;

/// <summary>Turns settings and a region into the endpoint to call, the way the AWS SDKs' STS endpoint rules do.</summary>
internal static class StsEndpointResolver
{
    public static StsEndpoint Resolve(StsClientSettings settings, string region, string regionOrigin)
    {
        if (settings.EndpointUrl is { } overridden)
        {
            return new StsEndpoint(overridden, region, settings.EndpointOrigin);
        }

        if (region == "aws-global" || (settings.LegacyGlobalEndpoint && !settings.UseFips && !settings.UseDualStack && StsConstants.LegacyGlobalRegions.Contains(region)))
        {
            return new StsEndpoint(new Uri("https://sts.amazonaws.com"), "us-east-1", $"{StsConstants.EnvStsRegionalEndpoints}=legacy and region {region} from {regionOrigin}");
        }

        string service = settings.UseFips ? "sts-fips" : "sts";
        string suffix = DnsSuffix(region, settings.UseDualStack);
        var url = new Uri(string.Create(CultureInfo.InvariantCulture, $"https://{service}.{region}.{suffix}"));
        return new StsEndpoint(url, region, $"region {region} from {regionOrigin}");
    }

    /// <summary>The DNS suffix of a region's partition (the dual-stack one when asked), as the AWS endpoint rules give it.</summary>
    public static string DnsSuffix(string region, bool dualStack) => region switch
    {
        _ when region.StartsWith("cn-", StringComparison.Ordinal) => dualStack ? "api.amazonwebservices.com.cn" : "amazonaws.com.cn",
        _ when region.StartsWith("us-isob-", StringComparison.Ordinal) => "sc2s.sgov.gov",
        _ when region.StartsWith("us-isof-", StringComparison.Ordinal) => "csp.hci.ic.gov",
        _ when region.StartsWith("us-iso-", StringComparison.Ordinal) => "c2s.ic.gov",
        _ when region.StartsWith("eu-isoe-", StringComparison.Ordinal) => "cloud.adc-e.uk",
        _ => dualStack ? "api.aws" : "amazonaws.com",
    };
}
