using WorkloadCredentials.Chain.Internal;
using Microsoft.Extensions.Configuration;
using WorkloadCredentials.Sts.Internal;

namespace WorkloadCredentials.Tests.Sts;

/// <summary>The <c>"AWS"</c> configuration section binds onto the STS, web identity and assume-role options.</summary>
public sealed class StsOptionsBindingTests
{
    [Fact]
    public void Bind_AwsSection_FillsStsWebIdentityAndAssumeRoleOptions()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AWS:Region"] = "eu-west-1",
            ["AWS:Sts:EndpointUrl"] = "https://sts.eu-west-1.amazonaws.com",
            ["AWS:Sts:RegionalEndpoints"] = "regional",
            ["AWS:Sts:AttemptTimeout"] = "00:00:03",
            ["AWS:Sts:TotalTimeout"] = "00:00:20",
            ["AWS:Sts:MaxRetryAttempts"] = "5",
            ["AWS:Sts:RetryBaseDelay"] = "00:00:00.250",
            ["AWS:WebIdentity:RoleArn"] = "arn:aws:iam::123456789012:role/pod-role",
            ["AWS:WebIdentity:WebIdentityTokenFile"] = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token",
            ["AWS:WebIdentity:RoleSessionName"] = "pod",
            ["AWS:WebIdentity:Duration"] = "02:00:00",
            ["AWS:AssumeRole:RoleArn"] = "arn:aws:iam::210987654321:role/customer-role",
            ["AWS:AssumeRole:ExternalId"] = "customer-7f3a",
            ["AWS:AssumeRole:RoleSessionName"] = "management",
            ["AWS:AssumeRole:Duration"] = "00:45:00",
            ["AWS:AssumeRole:Policy"] = """{"Version":"2012-10-17","Statement":[]}""",
            ["AWS:AssumeRole:Tags:team"] = "backup",
            ["AWS:AssumeRole:SourceIdentity"] = "ops",
        }).Build();

        var options = new WorkloadCredentialsOptions();
        configuration.GetSection(WorkloadCredentialsOptions.DefaultSectionName).Bind(options);

        Assert.Equal("eu-west-1", options.Region);
        Assert.Equal("https://sts.eu-west-1.amazonaws.com", options.Sts.EndpointUrl);
        Assert.Equal("regional", options.Sts.RegionalEndpoints);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Sts.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Sts.TotalTimeout);
        Assert.Equal(5, options.Sts.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Sts.RetryBaseDelay);
        Assert.Equal("arn:aws:iam::123456789012:role/pod-role", options.WebIdentity.RoleArn);
        Assert.Equal("/var/run/secrets/eks.amazonaws.com/serviceaccount/token", options.WebIdentity.WebIdentityTokenFile);
        Assert.Equal("pod", options.WebIdentity.RoleSessionName);
        Assert.Equal(TimeSpan.FromHours(2), options.WebIdentity.Duration);
        Assert.Equal("arn:aws:iam::210987654321:role/customer-role", options.AssumeRole.RoleArn);
        Assert.Equal("customer-7f3a", options.AssumeRole.ExternalId);
        Assert.Equal("management", options.AssumeRole.RoleSessionName);
        Assert.Equal(TimeSpan.FromMinutes(45), options.AssumeRole.Duration);
        Assert.Equal("""{"Version":"2012-10-17","Statement":[]}""", options.AssumeRole.Policy);
        Assert.Equal("backup", Assert.Single(options.AssumeRole.Tags).Value);
        Assert.Equal("ops", options.AssumeRole.SourceIdentity);
        Assert.Equal(Microsoft.Extensions.Options.ValidateOptionsResult.Success, new WorkloadCredentialsOptionsCustomValidator(_ => "AWS").Validate(null, options));
    }
}
