using System.Reflection;
using System.Runtime.CompilerServices;

namespace WorkloadCredentials.Tests.Tool;

/// <summary>The CLI and the samples are built on the library's public API only: the library grants them no internals.</summary>
public sealed class PublicApiOnlyTests
{
    [Theory]
    [InlineData("workload-credentials")]
    [InlineData("WebApi")]
    [InlineData("BackupUploader")]
    public void Library_GrantsNoInternalsTo(string assemblyName)
    {
        IEnumerable<string> granted = typeof(AwsCredentials).Assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName.Split(',')[0].Trim());

        Assert.DoesNotContain(assemblyName, granted);
    }

    [Fact]
    public void Tool_ReferencesNoAwsSdkDirectly()
    {
        // whoami goes through the library's GetCallerIdentityAsync; the tool itself neither signs nor sends requests.
        AssemblyName[] references = Assembly.LoadFile(ToolRunner.ToolPath).GetReferencedAssemblies();

        Assert.Contains(references, r => r.Name == "WorkloadCredentials");
        Assert.DoesNotContain(references, r => r.Name is "AWSSDK.Core" or "AWSSDK.SecurityToken");
    }
}
