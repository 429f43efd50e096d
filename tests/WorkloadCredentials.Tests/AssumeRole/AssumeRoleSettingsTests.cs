using WorkloadCredentials.AssumeRole.Internal;

namespace WorkloadCredentials.Tests.AssumeRole;

public sealed class AssumeRoleSettingsTests
{
    [Fact]
    public void ToString_ExternalIdAndPolicySet_ShowsNeitherValue()
    {
        AssumeRoleSettings settings = AssumeRoleSettings.Create(
            "arn:aws:iam::111122223333:role/backup-writer",
            externalId: "customer-secret-external-id",
            roleSessionName: "management-cluster",
            policy: """{"Version":"2012-10-17","Statement":[{"Sid":"PolicySentinel","Effect":"Allow","Action":"s3:*","Resource":"*"}]}""");

        string text = settings.ToString();

        Assert.DoesNotContain("customer-secret-external-id", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PolicySentinel", text, StringComparison.Ordinal);
        Assert.Contains("RoleArn = arn:aws:iam::111122223333:role/backup-writer", text, StringComparison.Ordinal);
        Assert.Contains("ExternalId = ***", text, StringComparison.Ordinal);
    }
}
