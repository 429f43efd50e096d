using System.Net;
using WorkloadCredentials.InstanceMetadata.Internal;

namespace WorkloadCredentials.Tests.InstanceMetadata;

public sealed class ImdsResponseTests
{
    [Fact]
    public void ToString_CredentialsBody_ShowsStatusNotBody()
    {
        var response = new ImdsResponse(HttpStatusCode.OK, """{"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"imds-secret-sentinel","Token":"imds-token-sentinel"}""");

        string text = response.ToString();

        Assert.Equal("ImdsResponse { Status = 200 OK, Body = (100 characters) }", text);
        Assert.DoesNotContain("sentinel", text, StringComparison.Ordinal);
    }
}
