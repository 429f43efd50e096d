using WorkloadCredentials.Internal;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.Tests.Sts;

public sealed class StsSettingsResolverTests
{
    [Fact]
    public void WithProfileFallbacks_NothingElseConfigured_ProfileValuesUsed()
    {
        StsClientSettings settings = Resolve(new DictionaryEnvironment());

        StsClientSettings result = StsSettingsResolver.WithProfileFallbacks(
            settings, "eu-north-1", "region in profile A", "https://sts.profile.example", "endpoint_url in profile A", "legacy", "sts_regional_endpoints in profile A", false, "Profile");

        Assert.Equal("eu-north-1", result.Region);
        Assert.Equal("region in profile A", result.RegionOrigin);
        Assert.Equal(new Uri("https://sts.profile.example"), result.EndpointUrl);
        Assert.Equal("endpoint_url in profile A", result.EndpointOrigin);
        Assert.True(result.LegacyGlobalEndpoint);
    }

    [Fact]
    public void WithProfileFallbacks_EnvironmentSet_EnvironmentWins()
    {
        var environment = new DictionaryEnvironment(new Dictionary<string, string>
        {
            ["AWS_REGION"] = "us-east-2",
            ["AWS_ENDPOINT_URL_STS"] = "https://sts.env.example",
            ["AWS_STS_REGIONAL_ENDPOINTS"] = "regional",
        });

        StsClientSettings result = StsSettingsResolver.WithProfileFallbacks(
            Resolve(environment), "eu-north-1", "region in profile A", "https://sts.profile.example", "endpoint_url in profile A", "legacy", "sts_regional_endpoints in profile A", false, "Profile");

        Assert.Equal("us-east-2", result.Region);
        Assert.Equal(new Uri("https://sts.env.example"), result.EndpointUrl);
        Assert.False(result.LegacyGlobalEndpoint);
    }

    [Fact]
    public void WithProfileFallbacks_IgnoreConfiguredEndpointUrls_ProfileEndpointIgnored()
    {
        var environment = new DictionaryEnvironment(new Dictionary<string, string> { ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true" });

        StsClientSettings result = StsSettingsResolver.WithProfileFallbacks(
            Resolve(environment), null, "region in profile A", "https://sts.profile.example", "endpoint_url in profile A", null, "sts_regional_endpoints in profile A", false, "Profile");

        Assert.Null(result.EndpointUrl);
    }

    [Fact]
    public void WithProfileFallbacks_InvalidProfileValue_NamesProfileSetting()
    {
        var ex = Assert.Throws<AwsCredentialException>(() => StsSettingsResolver.WithProfileFallbacks(
            Resolve(new DictionaryEnvironment()), null, "region in profile A", "http://sts.profile.example", "endpoint_url in profile A", null, "sts_regional_endpoints in profile A", false, "Profile"));

        Assert.False(ex.IsRecoverable);
        Assert.Equal("Profile: endpoint_url in profile A uses plain http:// for host 'sts.profile.example': STS returns credentials, so use https:// (plain http:// is accepted only for localhost, 127.0.0.1 and ::1).", ex.Message);
    }

    private static StsClientSettings Resolve(DictionaryEnvironment environment) =>
        StsSettingsResolver.Resolve(new WorkloadCredentialsOptions(), environment, allowAnyHttpHost: false, "Profile");
}
