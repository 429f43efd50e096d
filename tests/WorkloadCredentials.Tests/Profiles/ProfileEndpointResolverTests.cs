using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles.Internal;

namespace WorkloadCredentials.Tests.Profiles;

public sealed class ProfileEndpointResolverTests
{
    private const string ConfigText =
        "[profile dev]\nendpoint_url = http://127.0.0.1:1\nservices = local\n[services local]\ns3 =\n  endpoint_url = http://127.0.0.1:2\n";

    [Fact]
    public void Resolve_S3OverrideOnly_DoesNotRedirectSts()
    {
        ProfileSet set = ProfileSet.Parse(ConfigText, "/c/config", null, null);
        var environment = new DictionaryEnvironment(new Dictionary<string, string> { ["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:3" });

        ConfiguredEndpoint? endpoint = ProfileEndpointResolver.Resolve("sts", environment, set, set.Profiles["dev"]);

        Assert.NotNull(endpoint);
        Assert.Equal("http://127.0.0.1:1", endpoint.Url);
        Assert.Equal("endpoint_url of profile 'dev' (/c/config line 2)", endpoint.Origin);
    }

    [Fact]
    public void Resolve_StsInServicesSection_OriginNamesSectionAndLine()
    {
        ProfileSet set = ProfileSet.Parse(ConfigText + "sts =\n  endpoint_url = http://127.0.0.1:4\n", "/c/config", null, null);

        ConfiguredEndpoint? endpoint = ProfileEndpointResolver.Resolve("sts", new DictionaryEnvironment(), set, set.Profiles["dev"]);

        Assert.Equal("http://127.0.0.1:4", endpoint?.Url);
        Assert.Equal("endpoint_url of sts in [services local] (/c/config line 7)", endpoint?.Origin);
    }

    [Fact]
    public void Resolve_EnvironmentIgnoreFlag_ReturnsNull()
    {
        ProfileSet set = ProfileSet.Parse(ConfigText, "/c/config", null, null);
        var environment = new DictionaryEnvironment(new Dictionary<string, string>
        {
            ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "TRUE",
            ["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:5",
        });

        Assert.Null(ProfileEndpointResolver.Resolve("sts", environment, set, set.Profiles["dev"]));
    }

    [Theory]
    [InlineData("sts", "AWS_ENDPOINT_URL_STS", "sts")]
    [InlineData("Elastic Beanstalk", "AWS_ENDPOINT_URL_ELASTIC_BEANSTALK", "elastic_beanstalk")]
    [InlineData("cognito-identity", "AWS_ENDPOINT_URL_COGNITO_IDENTITY", "cognito_identity")]
    public void ServiceNames_FollowTheSdkSpelling(string serviceId, string variable, string key)
    {
        Assert.Equal(variable, ProfileEndpointResolver.ServiceEnvironmentVariable(serviceId));
        Assert.Equal(key, ProfileEndpointResolver.ServiceKey(serviceId));
    }
}
