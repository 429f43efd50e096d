using System.Reflection;
using Xunit.v3;

namespace WorkloadCredentials.Tests.Infrastructure.SecretScanning;

/// <summary>
/// Applied to the whole test assembly (<c>[assembly: SecretScan]</c>): when a test ends, it fails that test if the secret scan
/// recorded a leak while it ran, with one line per leak (channel, secret kind and name, masked excerpt).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class SecretScanAttribute : BeforeAfterTestAttribute
{
    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        ThrowIfLeaked(test.UniqueID, test.TestDisplayName);
    }

    /// <summary>Ends the test's window and throws <see cref="SecretLeakException"/> when leaks were recorded against it.</summary>
    internal static void ThrowIfLeaked(string testUniqueId, string testDisplayName)
    {
        IReadOnlyList<SecretLeak> leaks = SecretScanner.Finish(testUniqueId);
        if (leaks.Count > 0)
        {
            throw new SecretLeakException(SecretScanner.Describe(leaks, $"while {testDisplayName} ran"));
        }
    }
}
