namespace WorkloadCredentials.Tests.Infrastructure.SecretScanning;

/// <summary>
/// The end-of-run check (an assembly fixture): fails the run for leaks that no running test could be blamed for, such as a
/// fixture's output, or background work that logged after its test had ended.
/// </summary>
public sealed class SecretScanFixture : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        IReadOnlyList<SecretLeak> leaks = SecretScanner.TakeUnattributed();
        return leaks.Count == 0
            ? ValueTask.CompletedTask
            : throw new SecretLeakException(SecretScanner.Describe(leaks, "outside a running test (fixtures, or work that outlived its test)"));
    }
}
