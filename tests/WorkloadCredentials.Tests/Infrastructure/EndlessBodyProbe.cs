using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;

namespace WorkloadCredentials.Tests.Infrastructure;

/// <summary>
/// An endless answer and what it cost the client: a handler that counts the bytes read off the wire, the answer itself, and one call
/// that must fail within a time bound, a read bound and an allocation bound (process-wide, so generous).
/// </summary>
internal sealed class EndlessBodyProbe : IDisposable
{
    public static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(3);
    public const long ReadBound = 2L * 1024 * 1024;
    public const long AllocationBound = 256L * 1024 * 1024;

    private readonly StrongBox<long> _written = new();
    private long _read;

    public EndlessBodyProbe() => Handler = ReadCountingHandler.Create(n => Interlocked.Add(ref _read, n));

    /// <summary>Gets the handler the source under test must use.</summary>
    public SocketsHttpHandler Handler { get; }

    public Task AnswerAsync(HttpContext http) => HostileAnswers.EndlessAsync(http, _written);

    /// <summary>Runs <paramref name="call"/>, expects an <see cref="AwsCredentialException"/>, asserts the bounds and reports the figures.</summary>
    public async Task<AwsCredentialException> FailsWithinBoundsAsync(Func<ValueTask<AwsCredentials>> call, string label)
    {
        long allocatedBefore = GC.GetTotalAllocatedBytes();
        var stopwatch = Stopwatch.StartNew();

        AwsCredentialException error = await Assert.ThrowsAsync<AwsCredentialException>(async () => await call());

        stopwatch.Stop();
        long allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        long read = Interlocked.Read(ref _read);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{label} endless body: {stopwatch.Elapsed.TotalMilliseconds:F0} ms, client read {read} bytes (server wrote {Volatile.Read(ref _written.Value)}), process allocated {allocated} bytes");
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeBound);
        Assert.InRange(read, 0, ReadBound);
        Assert.InRange(allocated, 0, AllocationBound);
        return error;
    }

    public void Dispose() => Handler.Dispose();
}
