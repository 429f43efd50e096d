namespace WorkloadCredentials.Tests.Infrastructure.SecretScanning;

/// <summary>Which test a leak belongs to: xunit's unique id (to fail it) and display name (to name it).</summary>
public sealed record TestIdentity(string? UniqueId, string DisplayName)
{
    /// <summary>Gets the test running in this async flow, or <see cref="SecretScanner.NoTest"/>.</summary>
    public static TestIdentity Current
    {
        get
        {
            var test = TestContext.Current.Test;
            return test is null ? new TestIdentity(null, SecretScanner.NoTest) : new TestIdentity(test.UniqueID, test.TestDisplayName);
        }
    }
}
