using WorkloadCredentials.Internal;
using WorkloadCredentials.Sso.Internal;

namespace WorkloadCredentials.Tests.Sso;

/// <summary>The cache file name every SDK uses, and the endpoints of the portal and OIDC per region, FIPS and dual stack.</summary>
public sealed class SsoTokenCacheFileTests
{
    [Theory]
    [InlineData("dev", "34c6fceca75e456f25e7e99531e2425c6c1de443.json")] // smithy-rs sso_credentials: sso_session = dev
    [InlineData("https://ssotest.awsapps.com/start", "dace00cba5f8355ec9d274ceb2bcebdfbeed0e12.json")] // the legacy form: the start URL
    public void FileName_IsTheLowerCaseSha1OfTheSessionOrStartUrl(string key, string expected) =>
        Assert.Equal(expected, SsoTokenCacheFile.FileName(key));

    [Theory]
    [InlineData("us-east-2", false, false, "https://portal.sso.us-east-2.amazonaws.com/", "https://oidc.us-east-2.amazonaws.com/")]
    [InlineData("us-east-2", true, true, "https://portal.sso-fips.us-east-2.api.aws/", "https://oidc-fips.us-east-2.api.aws/")]
    [InlineData("eu-west-1", true, false, "https://portal.sso-fips.eu-west-1.amazonaws.com/", "https://oidc-fips.eu-west-1.amazonaws.com/")]
    [InlineData("cn-north-1", false, false, "https://portal.sso.cn-north-1.amazonaws.com.cn/", "https://oidc.cn-north-1.amazonaws.com.cn/")]
    public void Endpoints_FollowTheRegionFipsAndDualStack(string region, bool fips, bool dualStack, string portal, string oidc)
    {
        var request = new SsoProfileRequest("p", string.Empty, "s", "https://x", region, "1", "R", "/home") { UseFips = fips, UseDualStack = dualStack };

        Assert.Equal(portal, SsoEndpointResolver.Portal(request, allowAnyHttpHost: false).Url.AbsoluteUri);
        Assert.Equal(oidc, SsoEndpointResolver.Oidc(request, allowAnyHttpHost: false).Url.AbsoluteUri);
    }

    [Fact]
    public void ConfiguredEndpoint_WithPlainHttpToAnotherHost_IsRefusedNamingTheSetting()
    {
        var request = new SsoProfileRequest("p", " (in config)", "s", "https://x", "eu-west-1", "1", "R", "/home")
        {
            PortalEndpoint = "http://portal.example.com",
            PortalEndpointOrigin = "AWS_ENDPOINT_URL_SSO",
        };

        var ex = Assert.Throws<AwsCredentialException>(() => SsoEndpointResolver.Portal(request, allowAnyHttpHost: false));

        Assert.False(ex.IsRecoverable);
        Assert.StartsWith("Sso: profile 'p' (in config): AWS_ENDPOINT_URL_SSO uses plain http:// for host 'portal.example.com'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegionThatIsNotARegionName_IsRefused()
    {
        var request = new SsoProfileRequest("p", string.Empty, "s", "https://x", "evil.example.com/x", "1", "R", "/home");

        var ex = Assert.Throws<AwsCredentialException>(() => SsoEndpointResolver.Portal(request, allowAnyHttpHost: false));

        Assert.Contains("sso_region is not an AWS region name", ex.Message, StringComparison.Ordinal);
    }
}
